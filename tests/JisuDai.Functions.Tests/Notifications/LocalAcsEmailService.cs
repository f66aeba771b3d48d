using System.Collections.Concurrent;
using System.Text.Json;
using JisuDai.Adapters.Notifications.Email;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace JisuDai.Functions.Tests.Notifications;

/// <summary>
/// A stand-in for Communication Services' Email endpoint on 127.0.0.1, speaking its protocol: <c>POST /emails:send</c>
/// signed as the service checks (<see cref="AcsSignatureCheck"/>), with a GUID <c>Operation-Id</c> and a message
/// naming a sender, a subject and a recipient, answers 202 with the operation, its <c>Operation-Location</c> and a
/// <c>retry-after</c>; <c>GET /emails/operations/{id}</c> answers its status, Running for <see cref="PollsToFinish"/>
/// polls, then Succeeded, or Failed (EmailDropped) for an address in <see cref="Dropping"/>. A send under an
/// operation id already taken is the same operation: one email.
/// </summary>
sealed class LocalAcsEmailService : IAsyncDisposable
{
    readonly WebApplication app;
    readonly byte[] key;
    readonly ConcurrentDictionary<string, (JsonElement Message, int Polls)> operations = new(StringComparer.OrdinalIgnoreCase);

    public LocalAcsEmailService(byte[] key)
    {
        this.key = key;
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.MapPost("/emails:send", (Delegate)SendAsync);
        app.MapGet("/emails/operations/{id}", (Delegate)StatusAsync);
    }

    public Uri Endpoint => new(app.Urls.Single() + "/");

    public int PollsToFinish { get; set; } = 2;

    public HashSet<string> Dropping { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The emails taken, one per operation.</summary>
    public IReadOnlyList<(string OperationId, JsonElement Message)> Emails => operations.Select(o => (o.Key, o.Value.Message)).ToList();

    /// <summary>Requests refused, with why.</summary>
    public ConcurrentQueue<string> Refused { get; } = new();

    public async Task StartAsync() => await app.StartAsync();

    async Task<IResult> SendAsync(HttpContext context)
    {
        byte[] body = await BodyOf(context);
        if (AcsSignatureCheck.Verify(context.Request, body, key, AcsEmailSender.ApiVersion) is { } problem)
        {
            Refused.Enqueue(problem);
            return Results.Json(new { error = new { code = "Denied", message = problem } }, statusCode: 401);
        }

        JsonElement message = JsonDocument.Parse(body).RootElement.Clone();
        string? invalid = !Guid.TryParse(context.Request.Headers["Operation-Id"].ToString(), out Guid id) ? "Operation-Id must be a GUID"
            : !message.TryGetProperty("senderAddress", out JsonElement sender) || sender.GetString() is not { Length: > 0 } ? "senderAddress is required"
            : !message.TryGetProperty("content", out JsonElement content) || !content.TryGetProperty("subject", out _) ? "content.subject is required"
            : !message.TryGetProperty("recipients", out JsonElement recipients) || !recipients.TryGetProperty("to", out JsonElement to) || to.GetArrayLength() == 0 ? "recipients.to is required"
            : null;
        if (invalid is not null)
        {
            Refused.Enqueue(invalid);
            return Results.Json(new { error = new { code = "BadRequest", message = invalid } }, statusCode: 400);
        }

        string operation = id.ToString();
        operations.TryAdd(operation, (message, 0));
        context.Response.Headers["Operation-Location"] = $"{Endpoint}emails/operations/{operation}?api-version={AcsEmailSender.ApiVersion}";
        context.Response.Headers.RetryAfter = "1";
        return Results.Json(new { id = operation, status = "Running" }, statusCode: 202);
    }

    async Task<IResult> StatusAsync(HttpContext context, string id)
    {
        if (AcsSignatureCheck.Verify(context.Request, await BodyOf(context), key, AcsEmailSender.ApiVersion) is { } problem)
        {
            Refused.Enqueue(problem);
            return Results.Json(new { error = new { code = "Denied", message = problem } }, statusCode: 401);
        }

        if (!operations.TryGetValue(id, out var known))
        {
            return Results.Json(new { error = new { code = "NotFound", message = "no such operation" } }, statusCode: 404);
        }

        int polls = known.Polls + 1;
        operations[id] = (known.Message, polls);
        string address = known.Message.GetProperty("recipients").GetProperty("to")[0].GetProperty("address").GetString()!;
        if (polls < PollsToFinish)
        {
            context.Response.Headers.RetryAfter = "1";
            return Results.Json(new { id, status = "Running" });
        }

        return Dropping.Contains(address)
            ? Results.Json(new { id, status = "Failed", error = new { code = "EmailDropped", message = "Email was dropped after several attempts to deliver." } })
            : Results.Json(new { id, status = "Succeeded" });
    }

    static async Task<byte[]> BodyOf(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
