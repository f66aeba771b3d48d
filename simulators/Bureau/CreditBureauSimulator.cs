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

namespace JisuDai.Simulators.Bureau;

/// <summary>
/// A local credit bureau speaking the member protocol docs/risk.md describes: <c>POST /v1/credit-reports</c>, signed
/// with HMAC-SHA256 under the member's secret over method, path, timestamp, nonce and the body's SHA-256 (a bad
/// signature, a timestamp more than 5 minutes off or a nonce seen before is a 401). Like a bureau it records every
/// inquiry it answers, so the counts of inquiries in the last 1, 3 and 6 months are its own. What it knows of a person's
/// loans is what <c>PUT /simulator/people/{idNumber}</c> told it (unknown people are a clean file with nothing open;
/// <c>{"found": false}</c> makes a thin file); <c>POST /simulator/faults</c> <c>{"busy": true}</c> answers 503 until
/// cleared. <c>GET /simulator/inquiries</c> lists what it was asked. Nothing is kept across restarts.
/// </summary>
public sealed class CreditBureauSimulator : IAsyncDisposable
{
    readonly WebApplication app;
    readonly string memberId, secret;
    readonly ConcurrentDictionary<string, JsonObject> people = new(StringComparer.Ordinal);
    readonly ConcurrentQueue<(string IdNumber, DateTimeOffset At, string Reference)> inquiries = new();
    readonly ConcurrentDictionary<string, byte> nonces = new(StringComparer.Ordinal);
    volatile bool busy;

    CreditBureauSimulator(WebApplication app, string memberId, string secret) => (this.app, this.memberId, this.secret) = (app, memberId, secret);

    /// <summary>Where it listens.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Starts it on <paramref name="url"/> (port 0: any free port), taking calls from <paramref name="memberId"/> signed with <paramref name="secret"/>.</summary>
    public static async Task<CreditBureauSimulator> StartAsync(string url, string memberId, string secret, CancellationToken cancellationToken = default)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var simulator = new CreditBureauSimulator(builder.Build(), memberId, secret);
        simulator.app.MapPost("/v1/credit-reports", (Delegate)simulator.AnswerAsync);
        simulator.app.MapPut("/simulator/people/{idNumber}", async (string idNumber, HttpContext context) =>
        {
            simulator.people[idNumber] = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
            return Results.NoContent();
        });
        simulator.app.MapGet("/simulator/inquiries", () => Results.Json(simulator.inquiries.Select(i => new { idNumber = i.IdNumber, at = i.At, reference = i.Reference })));
        simulator.app.MapPost("/simulator/faults", async (HttpContext context) =>
        {
            simulator.busy = (await JsonNode.ParseAsync(context.Request.Body))?["busy"]?.GetValue<bool>() == true;
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
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync();
        if (SignatureFault(context.Request, body) is { } fault)
        {
            return Results.Json(new { error = "unauthenticated", message = fault }, statusCode: 401);
        }

        if (busy)
        {
            return Results.Json(new { error = "busy", message = "The service is busy; try again later." }, statusCode: 503);
        }

        JsonElement question;
        try
        {
            question = JsonDocument.Parse(body).RootElement.Clone();
        }
        catch (JsonException)
        {
            return Results.Json(new { error = "invalid", message = "The body is not JSON." }, statusCode: 400);
        }

        string Field(string name) => question.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        string idNumber = Field("idNumber");
        if (idNumber.Length != 18 || Field("name").Length == 0 || Field("purpose") != "loan-approval"
            || !question.TryGetProperty("authorization", out JsonElement authorization) || authorization.ValueKind != JsonValueKind.Object)
        {
            return Results.Json(new { error = "invalid", message = "name, an 18-character idNumber, purpose loan-approval and the authorization are required." }, statusCode: 400);
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        int Since(int days) => inquiries.Count(i => i.IdNumber == idNumber && now - i.At < TimeSpan.FromDays(days));
        (int m1, int m3, int m6) = (Since(30), Since(91), Since(182));
        inquiries.Enqueue((idNumber, now, authorization.TryGetProperty("reference", out JsonElement r) ? r.GetString() ?? "" : ""));
        JsonObject person = people.TryGetValue(idNumber, out JsonObject? known) ? known : new JsonObject();
        int Number(string name) => person[name]?.GetValue<int>() ?? 0;
        decimal Money(string name) => person[name]?.GetValue<decimal>() ?? 0;
        bool found = person["found"]?.GetValue<bool>() ?? true;
        return Results.Json(new
        {
            reportId = "R" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
            reportedAt = now,
            found,
            inquiries = new { last1m = found ? m1 : 0, last3m = found ? m3 : 0, last6m = found ? m6 : 0 },
            loans = new { open = Number("openLoans"), balance = Money("openBalance"), monthlyRepayments = Money("monthlyRepayments") },
            delinquency = new { worstDaysPastDue24m = Number("worstDaysPastDue24m"), accounts24m = Number("delinquentAccounts24m") },
        });
    }

    string? SignatureFault(HttpRequest request, string body)
    {
        if (request.Headers["X-Member-Id"].ToString() != memberId)
        {
            return "unknown member";
        }

        string timestamp = request.Headers["X-Timestamp"].ToString(), nonce = request.Headers["X-Nonce"].ToString();
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300)
        {
            return "the timestamp is missing or more than 5 minutes off";
        }

        string canonical = $"{request.Method}\n{request.Path}\n{timestamp}\n{nonce}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)))}";
        byte[] expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(canonical));
        byte[] given;
        try
        {
            given = Convert.FromBase64String(request.Headers["X-Signature"].ToString());
        }
        catch (FormatException)
        {
            return "the signature is not base64";
        }

        if (!CryptographicOperations.FixedTimeEquals(expected, given))
        {
            return "the signature does not verify";
        }

        return nonce.Length is < 16 or > 64 || !nonces.TryAdd(nonce, 0) ? "the nonce is missing or was used before" : null;
    }
}
