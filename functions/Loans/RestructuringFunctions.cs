using JisuDai.App.Loans;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using JisuDai.Orchestrations.Repayment;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace JisuDai.Functions.Loans;

/// <summary>
/// <c>POST /api/loans/{id}/restructurings</c> (staff): new terms for a loan in difficulty, from today. Idempotent by
/// reference (201 when recorded, 200 when recorded before); recorded under the loan's ETag; raises LoanRestructured.
/// </summary>
public sealed class RestructuringFunctions(CallerGate gate, RestructuringDesk desk, RepaymentLifecycles lifecycles)
{
    [Function("PostRestructuring")]
    public Task<IActionResult> Restructure(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "loans/{id}/restructurings")] HttpRequest request,
        string id,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Reviewer], new RestructuringBody(null, null, null, null), async (staff, body) =>
            Answers.Recorded(await desk.RestructureAsync(staff, id, body, lifecycles.Over(durable), cancellationToken)), cancellationToken);
}
