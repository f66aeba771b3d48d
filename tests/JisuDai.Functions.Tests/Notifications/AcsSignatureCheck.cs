using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace JisuDai.Functions.Tests.Notifications;

/// <summary>
/// Communication Services' checks of a request signed with an access key, as the service makes them: api-version
/// present, x-ms-date within 15 minutes, x-ms-content-sha256 equal to the hash of the body received, the Authorization
/// header's exact form, and the HMAC-SHA256 over METHOD\npath?query\ndate;host;hash under the key. Null when it passes.
/// </summary>
static class AcsSignatureCheck
{
    public static string? Verify(HttpRequest request, byte[] body, byte[] key, string apiVersion)
    {
        if (request.Query["api-version"] != apiVersion)
        {
            return "api-version missing or unknown";
        }

        if (!DateTimeOffset.TryParseExact(request.Headers["x-ms-date"].ToString(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date)
            || (DateTimeOffset.UtcNow - date).Duration() > TimeSpan.FromMinutes(15))
        {
            return "x-ms-date missing or more than 15 minutes off";
        }

        string hash = request.Headers["x-ms-content-sha256"].ToString();
        if (hash != Convert.ToBase64String(SHA256.HashData(body)))
        {
            return "x-ms-content-sha256 does not match the body";
        }

        const string prefix = "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=";
        string authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(prefix, StringComparison.Ordinal))
        {
            return "Authorization is not HMAC-SHA256 over x-ms-date;host;x-ms-content-sha256";
        }

        // Computed here from the documented scheme, independently of the code under test.
        string stringToSign = $"{request.Method}\n{request.Path}{request.QueryString}\n{request.Headers["x-ms-date"]};{request.Host.Value};{hash}";
        string expected = Convert.ToBase64String(new HMACSHA256(key).ComputeHash(System.Text.Encoding.UTF8.GetBytes(stringToSign)));
        return authorization[prefix.Length..] == expected ? null : "signature does not match";
    }
}
