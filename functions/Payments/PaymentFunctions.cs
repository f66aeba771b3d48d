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
    [RequiresHeader("Idempotency-Key", "The payment's key, chosen by the app and sent again on every retry: the same key is the same payment, never a second one.")]
    [Accepts(typeof(JisuDai.App.Payments.PaymentRequest))]
    [Answers(201, typeof(JisuDai.App.Payments.PaymentView), Description = "Made: the payment, with the prepayId the borrower's payment app pays it with.")]
    [Answers(200, typeof(JisuDai.App.Payments.PaymentView), Description = "Made before under this Idempotency-Key: the same payment.")]
    [Answers(400, Description = "Idempotency-Key missing, or purpose, mode or amount at fault.")]
    [Answers(401)]
    [Answers(403, Description = "Not the loan's borrower (staff record offline payments at /api/loans/{id}/repayments).")]
    [Answers(404, Description = "No such loan of the caller's.")]
    [Answers(409, Description = "The loan takes no payments, nothing is due, or the Idempotency-Key was used for another payment.")]
    [Answers(413)]
    public Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "loans/{id}/payments")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, BorrowersAndStaff, new PaymentRequest(null), async (caller, body) =>
            Answers.Recorded(await desk.CreateAsync(caller, id, request.Headers["Idempotency-Key"], body, cancellationToken)), cancellationToken);

    [Function("ListLoanPayments")]
    [Answers(200, typeof(IReadOnlyList<JisuDai.App.Payments.PaymentView>), Description = "The loan's payments, newest first.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such loan of the caller's.")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "loans/{id}/payments")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, BorrowersAndStaff, async caller => Answers.Ok(await desk.ListAsync(caller, id, cancellationToken)));

    [Function("GetPayment")]
    [Answers(200, typeof(JisuDai.App.Payments.PaymentView), Description = "The payment (a pending one asked of the provider first).")]
    [Answers(400, Description = "Rarely: the payment the provider reports paid does not fit the loan's ledger.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such payment of the caller's.")]
    [Answers(422, Description = "The provider reports the payment otherwise than it was made (another amount, no transaction).")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "payments/{id}")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, BorrowersAndStaff, async caller => Answers.Ok(await desk.GetAsync(caller, id, lifecycles.Over(durable), cancellationToken)));

    [Function("ReceivePaymentNotification")]
    [Anyone]
    [Accepts(typeof(System.Text.Json.Nodes.JsonObject), Description = "The payment provider's notification (WeChat Pay), verified by its signature headers and read as sent.")]
    [Answers(204, Description = "Handled, or handled before (a replay).")]
    [Answers(401, Description = "The provider's signature (Wechatpay-Signature) is missing, stale or does not verify.")]
    [Answers(400, Description = "Rarely: a payment it confirms does not fit the loan's ledger.")]
    [Answers(404, Description = "The loan the payment or refund is for is not found.")]
    [Answers(422, Description = "Not one this app can apply: unreadable, of a payment, refund or agreement it does not hold, or of another amount.")]
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
