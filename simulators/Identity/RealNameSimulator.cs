using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JisuDai.Simulators.Identity;

/// <summary>
/// A local stand-in for Tencent Cloud FaceID's four-element check (<c>BankCard4EVerification</c>, API 2018-03-01),
/// speaking its protocol: a JSON POST to <c>/</c> with the X-TC-* headers, signed with TC3-HMAC-SHA256 under its one
/// key pair, answered in the <c>{"Response": …}</c> envelope (an <c>Error</c> for a bad signature, a stale timestamp or
/// an unknown action). What the banks would know it learns as it goes: the first check of an ID number fixes the
/// person's name, and the first check of a card fixes whose card it is and its phone; a later check that contradicts
/// either fails with "-1", one with a malformed element with "-2" to "-5". <c>POST /simulator/faults</c>
/// <c>{"busy": true}</c> makes it answer "-18" (service busy) until cleared. Nothing is kept across restarts.
/// </summary>
public sealed class RealNameSimulator : IAsyncDisposable
{
    readonly WebApplication app;
    readonly string secretId, secretKey;
    readonly ConcurrentDictionary<string, string> names = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, (string IdCard, string Phone)> cards = new(StringComparer.Ordinal);
    volatile bool busy;

    RealNameSimulator(WebApplication app, string secretId, string secretKey) => (this.app, this.secretId, this.secretKey) = (app, secretId, secretKey);

    /// <summary>Where it listens.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Starts it on <paramref name="url"/> (port 0: any free port), taking calls signed with <paramref name="secretId"/> and <paramref name="secretKey"/>.</summary>
    public static async Task<RealNameSimulator> StartAsync(string url, string secretId, string secretKey, CancellationToken cancellationToken = default)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var simulator = new RealNameSimulator(builder.Build(), secretId, secretKey);
        simulator.app.MapPost("/", (Delegate)simulator.AnswerAsync);
        simulator.app.MapPost("/simulator/faults", async (HttpContext context) =>
        {
            JsonNode? body = await JsonNode.ParseAsync(context.Request.Body);
            simulator.busy = body?["busy"]?.GetValue<bool>() == true;
            return Results.NoContent();
        });
        await simulator.app.StartAsync(cancellationToken);
        simulator.Url = simulator.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return simulator;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    async Task<IResult> AnswerAsync(HttpContext context)
    {
        string requestId = Guid.NewGuid().ToString();
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync();
        if (SignatureFault(context.Request, body) is { } fault)
        {
            return Envelope(new { Error = new { Code = fault.Code, Message = fault.Message }, RequestId = requestId });
        }

        if (context.Request.Headers["X-TC-Action"].ToString() != "BankCard4EVerification" || context.Request.Headers["X-TC-Version"].ToString() != "2018-03-01")
        {
            return Envelope(new { Error = new { Code = "InvalidAction", Message = "The action or version is not one this service offers." }, RequestId = requestId });
        }

        JsonElement claim;
        try
        {
            claim = JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            return Envelope(new { Error = new { Code = "InvalidParameter", Message = "The body is not JSON." }, RequestId = requestId });
        }

        string Field(string name) => claim.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        (string result, string description) = Check(Field("Name"), Field("IdCard"), Field("Phone"), Field("BankCard"));
        return Envelope(new { Result = result, Description = description, RequestId = requestId });
    }

    (string Result, string Description) Check(string name, string idCard, string phone, string bankCard)
    {
        if (busy)
        {
            return ("-18", "验证中心服务繁忙");
        }

        if (name.Length is 0 or > 50)
        {
            return ("-2", "姓名校验不通过");
        }

        if (!ValidIdCard(idCard))
        {
            return ("-3", "身份证号码有误");
        }

        if (bankCard.Length is < 12 or > 19 || !bankCard.All(char.IsAsciiDigit))
        {
            return ("-4", "银行卡号码有误");
        }

        if (phone.Length != 11 || phone[0] != '1' || !phone.All(char.IsAsciiDigit))
        {
            return ("-5", "手机号码不合法");
        }

        string knownName = names.GetOrAdd(idCard, name);
        (string IdCard, string Phone) holder = cards.GetOrAdd(bankCard, (idCard, phone));
        return knownName == name && holder == (idCard, phone) ? ("0", "认证通过") : ("-1", "认证未通过");
    }

    static bool ValidIdCard(string id)
    {
        if (id.Length != 18 || !id[..17].All(char.IsAsciiDigit))
        {
            return false;
        }

        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        int sum = 0;
        for (int i = 0; i < 17; i++)
        {
            sum += (id[i] - '0') * weights[i];
        }

        return "10X98765432"[sum % 11] == char.ToUpperInvariant(id[17]);
    }

    /// <summary>What is wrong with the call's TC3-HMAC-SHA256 signature, or null when it is ours and fresh.</summary>
    (string Code, string Message)? SignatureFault(HttpRequest request, string body)
    {
        string authorization = request.Headers.Authorization.ToString();
        if (!long.TryParse(request.Headers["X-TC-Timestamp"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out long timestamp))
        {
            return ("MissingParameter", "X-TC-Timestamp is required.");
        }

        if (Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp) > 300)
        {
            return ("AuthFailure.SignatureExpire", "The request's timestamp is more than 5 minutes from the server's time.");
        }

        var parts = authorization.StartsWith("TC3-HMAC-SHA256 ", StringComparison.Ordinal)
            ? authorization["TC3-HMAC-SHA256 ".Length..].Split(", ").Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1])
            : [];
        if (!parts.TryGetValue("Credential", out string? credential) || !parts.TryGetValue("SignedHeaders", out string? signedHeaders) || !parts.TryGetValue("Signature", out string? signature))
        {
            return ("AuthFailure.InvalidAuthorization", "The Authorization header is not TC3-HMAC-SHA256.");
        }

        string[] scope = credential.Split('/');
        string date = DateTimeOffset.FromUnixTimeSeconds(timestamp).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (scope.Length != 4 || scope[0] != secretId || scope[1] != date || scope[2] != "faceid" || scope[3] != "tc3_request")
        {
            return ("AuthFailure.SecretIdNotFound", "The credential is not this service's, or not for today.");
        }

        string headers = string.Concat(signedHeaders.Split(';').Select(h => $"{h}:{request.Headers[h].ToString().Trim().ToLowerInvariant()}\n"));
        string canonical = $"POST\n/\n\n{headers}\n{signedHeaders}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)))}";
        string toSign = $"TC3-HMAC-SHA256\n{timestamp}\n{date}/faceid/tc3_request\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        byte[] key = Encoding.UTF8.GetBytes("TC3" + secretKey);
        foreach (string step in new[] { date, "faceid", "tc3_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(step));
        }

        string expected = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature))
            ? null
            : ("AuthFailure.SignatureFailure", "The signature does not match.");
    }

    /// <summary>The service's names are PascalCase, as it writes them (not ASP.NET's camelCase default).</summary>
    static readonly JsonSerializerOptions AsWritten = new();

    static IResult Envelope(object response) => Results.Json(new { Response = response }, AsWritten);
}
