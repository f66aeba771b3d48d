using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace JisuDai.Adapters.Notifications.Sms;

/// <summary>
/// Azure Communication Services' access-key scheme (the SDK that does this is not available here): sign
/// <c>METHOD\npath?query\n{x-ms-date};{host};{x-ms-content-sha256}</c> with HMAC-SHA256 under the
/// base64-decoded key, and send the date, the body hash and the signature. Each attempt is signed afresh, so
/// a retry carries a current date.
/// </summary>
public sealed class AcsRequestSigning(AcsConnection connection, TimeProvider clock) : DelegatingHandler
{
    public const string SignedHeaders = "x-ms-date;host;x-ms-content-sha256";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        string date = clock.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        string contentHash = Convert.ToBase64String(SHA256.HashData(body));
        string host = request.RequestUri!.Authority;
        string signature = Sign(connection.Key, request.Method.Method, request.RequestUri.PathAndQuery, date, host, contentHash);

        request.Headers.Remove("x-ms-date");
        request.Headers.Remove("x-ms-content-sha256");
        request.Headers.TryAddWithoutValidation("x-ms-date", date);
        request.Headers.TryAddWithoutValidation("x-ms-content-sha256", contentHash);
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", $"HMAC-SHA256 SignedHeaders={SignedHeaders}&Signature={signature}");
        return await base.SendAsync(request, cancellationToken);
    }

    /// <summary>The base64 HMAC-SHA256 of the string to sign.</summary>
    public static string Sign(byte[] key, string method, string pathAndQuery, string date, string host, string contentHash) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{method}\n{pathAndQuery}\n{date};{host};{contentHash}")));
}
