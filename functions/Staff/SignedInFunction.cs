using JisuDai.App.Security;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Staff;

/// <summary>
/// <c>GET /api/staff/me</c>: who the signed-in member of staff is and which roles they hold, from their token or from
/// App Service authentication's principal alike, so the console shows each person only the pages their roles open.
/// </summary>
public sealed class SignedInFunction(CallerGate gate)
{
    [Function("SignedInStaff")]
    [Answers(200, typeof(SignedInStaff), Description = "the signed-in member of staff and the staff roles they hold.")]
    [Answers(401)]
    [Answers(403)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/me")] HttpRequest request) =>
        gate.RunAsync(request, [Roles.Reviewer], caller => Task.FromResult<IActionResult>(new OkObjectResult(
            new SignedInStaff(caller.Subject, caller.Roles.Where(r => r != Roles.Applicant).Order(StringComparer.Ordinal).ToArray()))));
}

/// <summary>Who is signed in: the staff subject and the staff roles held.</summary>
public sealed record SignedInStaff(string Subject, IReadOnlyList<string> Roles);
