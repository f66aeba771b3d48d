using JisuDai.Adapters.Security;
using JisuDai.App.Identity;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Identity;

/// <summary>A request for a sign-in code.</summary>
public sealed record CodeRequest(string? Phone);

/// <summary>A sign-in: the number, the code sent to it, and the device.</summary>
public sealed record TokenRequest(string? Phone, string? Code, string? Device);

/// <summary>A refresh token presented to renew or end a sign-in.</summary>
public sealed record RefreshRequest(string? RefreshToken);

/// <summary>
/// Customers sign up and sign in (no token needed; the rules are in <see cref="SignInDesk"/>):
/// <c>POST /api/auth/codes</c> <c>{phone}</c> sends a code; <c>POST /api/auth/tokens</c> <c>{phone, code, device?}</c>
/// answers tokens; <c>POST /api/auth/refresh</c> and <c>POST /api/auth/logout</c> <c>{refreshToken}</c>; and
/// <c>GET /api/.well-known/jwks.json</c> publishes the keys customers' tokens are signed with (and <c>/api/.well-known/openid-configuration</c> says where, for a gateway). Limits (the desk's per number, <see cref="RequestLimits.SignIn"/> per address) answer 429 with Retry-After.
/// </summary>
public sealed class SignInFunctions(SignInDesk desk, Tokens tokens, RequestLimits limits)
{
    [Function("SendSignInCode")]
    [Anyone]
    [Accepts(typeof(CodeRequest))]
    [Answers(202, typeof(JisuDai.App.Identity.CodeSent), Description = "A code was sent: how long it is good for, and when another may be asked for.")]
    [Answers(400, Description = "phone is not a mainland mobile number, or the body is malformed.")]
    [Answers(413)]
    [Answers(429, Description = "Too many requests from this address, or codes or wrong codes for this number: see Retry-After.")]
    [Answers(503, Description = "Customer sign-in is not configured here, or the code could not be sent just now.")]
    public async Task<IActionResult> SendCode(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/codes")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        (CodeRequest? body, ObjectResult? problem) = await JsonBody.ReadAsync(request, new CodeRequest(null), cancellationToken);
        return limits.Refuse(request, RequestLimits.SignIn, null) ?? problem ?? Answers.Of(await desk.SendCodeAsync(body!.Phone, ClientAddress.Of(request), cancellationToken), sent => new AcceptedResult((string?)null, sent), request.HttpContext.Response);
    }

    [Function("SignIn")]
    [Anyone]
    [Accepts(typeof(TokenRequest))]
    [Answers(200, typeof(JisuDai.App.Identity.SignedIn), Description = "Signed in: an access token and the refresh token that renews it.")]
    [Answers(400, Description = "phone, code or device at fault, or the code is wrong, expired or was never sent.")]
    [Answers(413)]
    [Answers(429, Description = "Too many requests from this address, or the number is locked after wrong codes: see Retry-After.")]
    public async Task<IActionResult> SignIn(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/tokens")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        (TokenRequest? body, ObjectResult? problem) = await JsonBody.ReadAsync(request, new TokenRequest(null, null, null), cancellationToken);
        return limits.Refuse(request, RequestLimits.SignIn, null) ?? problem ?? Answers.Of(await desk.SignInAsync(body!.Phone, body.Code, body.Device, ClientAddress.Of(request), cancellationToken), signedIn => new OkObjectResult(signedIn), request.HttpContext.Response);
    }

    [Function("RefreshSignIn")]
    [Anyone]
    [Accepts(typeof(RefreshRequest))]
    [Answers(200, typeof(JisuDai.App.Identity.SignedIn), Description = "Renewed: a new access token and refresh token (the one sent is spent).")]
    [Answers(401, Description = "The refresh token is unknown, expired, revoked or reused (a reused one revokes its family).")]
    [Answers(400, Description = "The body is malformed.")]
    [Answers(413)]
    [Answers(429, Description = "Too many sign-in requests from this address: see Retry-After.")]
    public async Task<IActionResult> Refresh(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/refresh")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        (RefreshRequest? body, ObjectResult? problem) = await JsonBody.ReadAsync(request, new RefreshRequest(null), cancellationToken);
        return limits.Refuse(request, RequestLimits.SignIn, null) ?? problem ?? Answers.Of(await desk.RefreshAsync(body!.RefreshToken, cancellationToken), signedIn => new OkObjectResult(signedIn), request.HttpContext.Response);
    }

    [Function("SignOut")]
    [Anyone]
    [Accepts(typeof(RefreshRequest))]
    [Answers(204, Description = "Signed out (or signed out before).")]
    [Answers(401, Description = "The refresh token is not one this service issued.")]
    [Answers(400, Description = "The body is malformed.")]
    [Answers(413)]
    [Answers(429, Description = "Too many sign-in requests from this address: see Retry-After.")]
    public async Task<IActionResult> SignOut(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/logout")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        (RefreshRequest? body, ObjectResult? problem) = await JsonBody.ReadAsync(request, new RefreshRequest(null), cancellationToken);
        return limits.Refuse(request, RequestLimits.SignIn, null) ?? problem ?? Answers.Of(await desk.SignOutAsync(body!.RefreshToken, cancellationToken), _ => new NoContentResult(), request.HttpContext.Response);
    }

    /// <summary>The OpenID configuration a gateway reads to validate customers' tokens: the issuer and where its keys are.</summary>
    [Function("OpenIdConfiguration")]
    [Anyone]
    [Answers(200, typeof(Dictionary<string, object>), Description = "{issuer, jwks_uri, id_token_signing_alg_values_supported}: where a gateway finds the keys customers' tokens are signed with.")]
    public IActionResult OpenIdConfiguration(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/openid-configuration")] HttpRequest request) =>
        new OkObjectResult(new Dictionary<string, object>
        {
            ["issuer"] = tokens.Issuer,
            ["jwks_uri"] = $"{request.Scheme}://{request.Host}/api/.well-known/jwks.json",
            ["id_token_signing_alg_values_supported"] = new[] { "ES256" },
        });

    [Function("SigningKeys")]
    [Anyone]
    [Answers(200, typeof(JisuDai.Adapters.Security.SigningKeySet), Description = "The JSON Web Key Set customers' tokens are signed with, the current key first.")]
    public IActionResult Jwks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = ".well-known/jwks.json")] HttpRequest request) =>
        new OkObjectResult(tokens.Jwks());
}
