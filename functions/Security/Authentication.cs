using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace JisuDai.Functions.Security;

/// <summary>
/// Reads the bearer token of a request: 401 (problem details, <c>WWW-Authenticate: Bearer</c>) without a valid one,
/// 403 when the caller has none of the roles the endpoint allows. Handlers call it first, so both hosts enforce the same.
/// </summary>
public sealed class Authentication(Tokens tokens)
{
    /// <summary>The caller, or the 401/403 to return.</summary>
    public async Task<(Caller? Caller, IActionResult? Problem)> RequireAsync(HttpRequest request, params string[] anyOf)
    {
        string header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return (null, Unauthorized(request, "A bearer token is required (Authorization: Bearer <token>)."));
        }

        (Caller? caller, string? error) = await tokens.ValidateAsync(header[7..].Trim());
        if (caller is null)
        {
            return (null, Unauthorized(request, $"The bearer token was refused: {error}"));
        }

        if (anyOf.Length > 0 && !anyOf.Any(caller.Is))
        {
            return (null, Problems.Create(403, "Forbidden.", $"This needs the role {string.Join(" or ", anyOf)}."));
        }

        return (caller, null);
    }

    static ObjectResult Unauthorized(HttpRequest request, string detail)
    {
        request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Create(401, "Unauthorized.", detail);
    }
}
