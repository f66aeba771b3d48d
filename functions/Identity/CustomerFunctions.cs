using JisuDai.App.Identity;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Identity;

/// <summary>
/// The signed-in customer: <c>GET /api/customers/me</c> (profile, verification, standing, loans) and
/// <c>POST /api/customers/me/verification</c> <c>{name, idNumber, phone, bankAccount}</c> (the four-element real-name
/// check, required before the first application), and <c>POST /api/customers/me/erasure</c> (the right to erasure:
/// processing restricted at once, data shredded when retention ends). The rules are in <see cref="CustomerDesk"/> and
/// <see cref="App.Privacy.CustomerErasure"/>.
/// </summary>
public sealed class CustomerFunctions(CallerGate gate, CustomerDesk desk, App.Privacy.CustomerErasure erasure)
{
    [Function("GetCustomer")]
    public Task<IActionResult> Me(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "customers/me")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant], async caller => Answers.Ok(await desk.ProfileAsync(caller, cancellationToken)));

    [Function("VerifyCustomer")]
    public Task<IActionResult> Verify(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "customers/me/verification")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant], new VerificationBody(null, null, null, null), async (caller, body) =>
            Answers.Of(await desk.VerifyAsync(caller, body, cancellationToken), answer => new OkObjectResult(answer), request.HttpContext.Response), cancellationToken);

    [Function("EraseCustomer")]
    public Task<IActionResult> Erase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "customers/me/erasure")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant], async caller =>
            Answers.Of(await erasure.RequestAsync(caller, cancellationToken), answer => new AcceptedResult((string?)null, answer), request.HttpContext.Response));
}
