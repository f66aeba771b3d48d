using JisuDai.Adapters.Security;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Diagnostics;

/// <summary>A development sign-in's answer: the staff token, when it expires, and whom it is for.</summary>
public sealed record DevSignedIn(string AccessToken, DateTimeOffset ExpiresAt, string Subject, IReadOnlyList<string> Roles);

/// <summary>What the console's development sign-in sends: who to be, and as which staff role.</summary>
public sealed record DevSignInBody(string? Subject, string? Role);

/// <summary>
/// <c>POST /api/dev/sign-in</c> <c>{subject, role}</c>: a staff token (8 hours) for the console on this machine, where
/// anyone who can call it can already read the development signing key and mint one with <c>jisudai token</c>.
/// Answers only where diagnostics are allowed (<see cref="DiagnosticsOptions.Allows"/>), so never in Azure, where
/// staff sign in with Microsoft Entra through App Service authentication.
/// </summary>
public sealed class DevSignInFunction(DiagnosticsOptions options, Tokens tokens, TimeProvider clock)
{
    static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    [Function("DevSignIn")]
    [Anyone]
    [Accepts(typeof(DevSignInBody))]
    [Answers(200, typeof(DevSignedIn), Description = "a staff token good for 8 hours.")]
    [Answers(400, Description = "subject or role at fault.")]
    [Answers(404, Description = "Diagnostics are not allowed here.")]
    [Answers(413)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dev/sign-in")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        if (!options.Allows(request))
        {
            return Problems.NotFound(options.Refusal);
        }

        (DevSignInBody? body, ObjectResult? problem) = await JsonBody.ReadAsync(request, new DevSignInBody(null, null), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new List<JisuDai.Lending.DomainError>();
        if (body!.Subject is not { Length: >= 1 and <= 64 } subject || !subject.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@'))
        {
            errors.Add(new("subject", "format", "subject is required: 1 to 64 letters, digits, '-', '_', '.' or '@'."));
        }

        if (body.Role is not (Roles.Reviewer or Roles.Admin))
        {
            errors.Add(new("role", "allowed", $"role must be {Roles.Reviewer} or {Roles.Admin} (borrowers sign in with a code sent by SMS)."));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        DateTimeOffset now = clock.GetUtcNow();
        return new OkObjectResult(new DevSignedIn(tokens.Mint(body.Subject!, [body.Role!], now, Lifetime), now + Lifetime, body.Subject!, [body.Role!]));
    }
}
