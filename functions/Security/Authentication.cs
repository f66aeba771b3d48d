using System.Text;
using System.Text.Json;
using JisuDai.Adapters.Security;
using JisuDai.App.Configuration;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace JisuDai.Functions.Security;

/// <summary>
/// Finds the caller of a request: 401 (problem details, <c>WWW-Authenticate: Bearer</c>) without valid credentials,
/// 403 when the caller has none of the roles the endpoint allows. Handlers call it first, so both hosts enforce the same.
/// In Azure, where App Service authentication validates Microsoft Entra tokens in front of the app, the principal it
/// passes on (<c>X-MS-CLIENT-PRINCIPAL</c>) is trusted when <c>Auth:TrustAppServiceAuthentication</c> is set; App
/// Service removes that header from what clients send, and nowhere else is it trusted. Otherwise the app checks the
/// bearer token itself.
/// </summary>
public sealed class Authentication(Tokens tokens, AppServiceAuthentication appService)
{
    /// <summary>The header App Service authentication passes the signed-in principal in.</summary>
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>The caller, or the 401/403 to return.</summary>
    public async Task<(Caller? Caller, IActionResult? Problem)> RequireAsync(HttpRequest request, params string[] anyOf)
    {
        if (appService.Trusted && request.Headers[PrincipalHeader].ToString() is { Length: > 0 } principal)
        {
            Caller? signedIn = FromPrincipal(principal);
            return signedIn is null
                ? (null, Unauthorized(request, "The App Service principal could not be read."))
                : anyOf.Length > 0 && !anyOf.Any(signedIn.Is)
                    ? (null, Problems.Create(403, "Forbidden.", $"This needs the role {string.Join(" or ", anyOf)}."))
                    : (signedIn, null);
        }

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

    /// <summary>Reads App Service's principal: base64 JSON with <c>claims</c> [{typ, val}] and the role claim's type in <c>role_typ</c>.</summary>
    public static Caller? FromPrincipal(string header)
    {
        try
        {
            using JsonDocument json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header)));
            JsonElement root = json.RootElement;
            string roleType = root.TryGetProperty("role_typ", out JsonElement r) && r.GetString() is { Length: > 0 } rt ? rt : "roles";
            var claims = root.GetProperty("claims").EnumerateArray()
                .Select(c => (Type: c.GetProperty("typ").GetString() ?? "", Value: c.GetProperty("val").GetString() ?? "")).ToList();
            string? subject = claims.FirstOrDefault(c => c.Type is "http://schemas.microsoft.com/identity/claims/objectidentifier" or "oid").Value
                ?? claims.FirstOrDefault(c => c.Type is "sub" or "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier").Value;
            return string.IsNullOrEmpty(subject)
                ? null
                : new Caller(subject, claims.Where(c => c.Type == roleType || c.Type == "roles").Select(c => c.Value).ToHashSet(StringComparer.Ordinal));
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    static ObjectResult Unauthorized(HttpRequest request, string detail)
    {
        request.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.Create(401, "Unauthorized.", detail);
    }
}

/// <summary>Whether App Service authentication stands in front of the app (set in Azure by the Bicep, never locally).</summary>
public sealed record AppServiceAuthentication(bool Trusted)
{
    public static AppServiceAuthentication FromConfiguration(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        new(string.Equals(configuration[JisuDai.App.Configuration.AppSettings.AuthTrustAppService], "true", StringComparison.OrdinalIgnoreCase));
}
