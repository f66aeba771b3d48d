using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JisuDai.App.Identity;

namespace JisuDai.Adapters.Identity;

/// <summary>
/// The four-element real-name check through Tencent Cloud FaceID's <c>BankCard4EVerification</c> (API 2018-03-01):
/// a JSON POST to the service's root, signed with TencentCloud API signature v3 (TC3-HMAC-SHA256 over the canonical
/// request, the key derived from the secret key by date, service and <c>tc3_request</c>). Result "0" passes; "-2" to
/// "-5" name the element at fault; "-18" (busy) and "-19" (too many checks today), like any error answer or failed
/// call, mean the check could not be made.
/// </summary>
public sealed class TencentRealNameCheck(HttpClient http, Uri endpoint, string secretId, string secretKey, TimeProvider clock) : IRealNameCheck
{
    public const string Service = "faceid";
    public const string Action = "BankCard4EVerification";
    public const string Version = "2018-03-01";
    const string ContentType = "application/json; charset=utf-8";

    public async Task<RealNameResult> CheckAsync(RealNameClaim claim, CancellationToken cancellationToken)
    {
        string body = JsonSerializer.Serialize(new
        {
            Name = claim.Name,
            BankCard = claim.BankCard,
            Phone = claim.Phone.StartsWith("+86", StringComparison.Ordinal) ? claim.Phone[3..] : claim.Phone,
            IdCard = claim.IdNumber,
        });
        long timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        request.Headers.Host = endpoint.Authority;
        request.Headers.Add("X-TC-Action", Action);
        request.Headers.Add("X-TC-Version", Version);
        request.Headers.Add("X-TC-Timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("Authorization", Authorization(secretId, secretKey, endpoint.Authority, body, timestamp));

        JsonElement answer;
        try
        {
            using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
            answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.GetProperty("Response").Clone();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            throw new RealNameUnavailableException($"The real-name check did not answer: {e.Message}", e);
        }

        string reference = answer.TryGetProperty("RequestId", out JsonElement id) ? id.GetString() ?? "" : "";
        if (answer.TryGetProperty("Error", out JsonElement error))
        {
            throw new RealNameUnavailableException($"The real-name check refused the call: {error.GetProperty("Code").GetString()} {error.GetProperty("Message").GetString()} ({reference}).");
        }

        string code = answer.GetProperty("Result").GetString() ?? "";
        string description = answer.TryGetProperty("Description", out JsonElement d) ? d.GetString() ?? "" : "";
        return code switch
        {
            "0" => new RealNameResult(true, code, description, reference),
            "-18" or "-19" => throw new RealNameUnavailableException($"The real-name check is not taking checks now: {code} {description} ({reference})."),
            "-2" => new RealNameResult(false, code, description, reference, "name"),
            "-3" => new RealNameResult(false, code, description, reference, "idNumber"),
            "-4" => new RealNameResult(false, code, description, reference, "bankAccount"),
            "-5" => new RealNameResult(false, code, description, reference, "phone"),
            _ => new RealNameResult(false, code, description, reference),
        };
    }

    /// <summary>The TC3-HMAC-SHA256 Authorization header of a POST of <paramref name="body"/> to <paramref name="host"/> at <paramref name="timestamp"/>.</summary>
    public static string Authorization(string secretId, string secretKey, string host, string body, long timestamp)
    {
        string date = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        const string signedHeaders = "content-type;host";
        string canonical = string.Join('\n', "POST", "/", "", $"content-type:{ContentType}\nhost:{host.ToLowerInvariant()}\n", signedHeaders, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(body))));
        string scope = $"{date}/{Service}/tc3_request";
        string toSign = string.Join('\n', "TC3-HMAC-SHA256", timestamp.ToString(CultureInfo.InvariantCulture), scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))));
        byte[] key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("TC3" + secretKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Service));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("tc3_request"));
        string signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        return $"TC3-HMAC-SHA256 Credential={secretId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
