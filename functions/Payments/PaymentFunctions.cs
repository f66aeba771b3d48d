using JisuDai.App.Payments;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using JisuDai.Orchestrations.Repayment;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace JisuDai.Functions.Payments;

/// <summary>
/// A borrower's payments through the provider: <c>POST /api/loans/{id}/payments</c> (with <c>Idempotency-Key</c>; 201
/// when made, 200 when made before), <c>GET /api/loans/{id}/payments</c>, <c>GET /api/payments/{id}</c>; and the
/// provider's notifications at <c>POST /api/payments/notifications</c> (no bearer token: the platform's signature is
/// the authentication; 204 when handled, or handled before). The rules are in <see cref="PaymentDesk"/>.
/// </summary>
public sealed class PaymentFunctions(CallerGate gate, PaymentDesk desk, IPayoutReports payouts, RepaymentLifecycles lifecycles, Orchestrations.Approval.ApprovalWorkflows approvals)
{
    static readonly string[] BorrowersAndStaff = [Roles.Applicant, Roles.Reviewer];

    [Function("CreatePayment")]
    public Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "loans/{id}/payments")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, BorrowersAndStaff, new PaymentRequest(null), async (caller, body) =>
            Answers.Recorded(await desk.CreateAsync(caller, id, request.Headers["Idempotency-Key"], body, cancellationToken)), cancellationToken);

    [Function("ListLoanPayments")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "loans/{id}/payments")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, BorrowersAndStaff, async caller => Answers.Ok(await desk.ListAsync(caller, id, cancellationToken)));

    [Function("GetPayment")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "payments/{id}")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, BorrowersAndStaff, async caller => Answers.Ok(await desk.GetAsync(caller, id, lifecycles.Over(durable), cancellationToken)));

    [Function("ReceivePaymentNotification")]
    public async Task<IActionResult> Notify(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "payments/notifications")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken)
    {
        string body;
        using (var reader = new StreamReader(request.Body))
        {
            body = await reader.ReadToEndAsync(cancellationToken);
        }

        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return Answers.Of(await desk.ReceiveAsync(headers, body, payouts, lifecycles.Over(durable), approvals.Over(durable), cancellationToken), _ => new NoContentResult());
    }
}
