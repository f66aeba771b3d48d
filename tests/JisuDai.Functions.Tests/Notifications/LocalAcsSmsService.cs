using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using JisuDai.Adapters.Notifications.Sms;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace JisuDai.Functions.Tests.Notifications;

/// <summary>
/// A stand-in for Azure Communication Services' SMS endpoint on 127.0.0.1, checking each request as the
/// service does: api-version present, x-ms-date within 15 minutes, x-ms-content-sha256 equal to the hash of
/// the body received, the Authorization header's exact form, and the HMAC-SHA256 signature over
/// METHOD\npath?query\ndate;host;hash under the key. A bad request gets 401 like the service; a good one 202
/// with a message id. Scripted statuses (429, 503) answer before any check, to exercise retries.
/// </summary>
sealed class LocalAcsSmsService : IAsyncDisposable
{
    readonly WebApplication app;
    readonly byte[] key;

    public LocalAcsSmsService(byte[] key)
    {
        this.key = key;
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.MapPost("/sms", (Delegate)Handle);
    }

    public ConcurrentQueue<(int Status, string? Retry)> Script { get; } = new();

    public ConcurrentQueue<(HttpStatusCode Answer, string? Problem, JsonElement? Body)> Received { get; } = new();

    public Uri Endpoint => new(app.Urls.Single() + "/");

    public async Task StartAsync() => await app.StartAsync();

    async Task<IResult> Handle(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        byte[] body = buffer.ToArray();

        if (Script.TryDequeue(out var scripted))
        {
            if (scripted.Retry is not null)
            {
                context.Response.Headers.RetryAfter = scripted.Retry;
            }

            Received.Enqueue(((HttpStatusCode)scripted.Status, "scripted", null));
            return Results.StatusCode(scripted.Status);
        }

        string? problem = AcsSignatureCheck.Verify(context.Request, body, key, AcsSmsSender.ApiVersion);
        if (problem is not null)
        {
            Received.Enqueue((HttpStatusCode.Unauthorized, problem, null));
            return Results.Json(new { error = new { code = "Unauthorized", message = problem } }, statusCode: 401);
        }

        JsonElement json = JsonDocument.Parse(body).RootElement.Clone();
        Received.Enqueue((HttpStatusCode.Accepted, null, json));
        string to = json.GetProperty("smsRecipients")[0].GetProperty("to").GetString()!;
        return Results.Json(new { value = new[] { new { to, messageId = $"msg-{Received.Count}", httpStatusCode = 202, successful = true, errorMessage = (string?)null } } }, statusCode: 202);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
