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
    [Answers(200, typeof(JisuDai.App.Identity.CustomerProfile), Description = "The signed-in customer: verification (masked), standing, loans and behaviour score.")]
    [Answers(401)]
    [Answers(403, Description = "Not an applicant, or the token's subject is no customer id.")]
    public Task<IActionResult> Me(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "customers/me")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant], async caller => Answers.Ok(await desk.ProfileAsync(caller, cancellationToken)));

    [Function("VerifyCustomer")]
    [Accepts(typeof(JisuDai.App.Identity.VerificationBody))]
    [Answers(200, typeof(JisuDai.App.Identity.VerificationAnswer), Description = "Verified; signInAgain when the person proved to be an earlier customer.")]
    [Answers(400, Description = "A field is at fault, or was refused by the real-name check.")]
    [Answers(401)]
    [Answers(403, Description = "Not an applicant, the token's subject is no customer id, or the customer asked for erasure.")]
    [Answers(409, Description = "The customer is verified already as another person.")]
    [Answers(413)]
    [Answers(422, Description = "The real-name check did not pass: the four elements are not one person's.")]
    [Answers(503, Description = "The real-name check cannot be made just now: see Retry-After.")]
    public Task<IActionResult> Verify(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "customers/me/verification")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant], new VerificationBody(null, null, null, null), async (caller, body) =>
            Answers.Of(await desk.VerifyAsync(caller, body, cancellationToken), answer => new OkObjectResult(answer), request.HttpContext.Response), cancellationToken);

    [Function("EraseCustomer")]
    [Answers(202, typeof(JisuDai.App.Privacy.ErasureAnswer), Description = "Recorded (or recorded before): processing restricted now, data shredded after shredAfter.")]
    [Answers(401)]
    [Answers(403, Description = "Not an applicant, or the token's subject is no customer id.")]
    [Answers(404, Description = "No such customer.")]
    [Answers(409, Description = "A loan, an application or a signed debit agreement is still open.")]
    public Task<IActionResult> Erase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "customers/me/erasure")] HttpRequest request,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant], async caller =>
            Answers.Of(await erasure.RequestAsync(caller, cancellationToken), answer => new AcceptedResult((string?)null, answer), request.HttpContext.Response));
}
