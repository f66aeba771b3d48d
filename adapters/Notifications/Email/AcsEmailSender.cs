using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JisuDai.Adapters.Notifications.Sms;
using JisuDai.App.Notifications;

namespace JisuDai.Adapters.Notifications.Email;

/// <summary>
/// Sends through Azure Communication Services' Email REST API: <c>POST /emails:send?api-version=2023-03-31</c> with
/// an <c>Operation-Id</c> derived from the notification's idempotency key (so a retried send names the same
/// operation), then polls the <c>Operation-Location</c> it answers, as the service's <c>retry-after</c> asks, until the
/// operation succeeds or fails. Still running after <see cref="PollFor"/>, the email is taken (the service has queued
/// it) and its operation id recorded. The HttpClient is the one SMS uses (<see cref="AcsSmsSender.CreateClient"/>): the
/// same resource, signed the same way, transient failures retried.
/// </summary>
public sealed class AcsEmailSender(HttpClient http, Uri endpoint, string senderAddress, TimeProvider clock) : IEmailSender
{
    public const string ApiVersion = "2023-03-31";

    /// <summary>How long a send waits for the service to finish it: well inside the notification delivery's claim.</summary>
    public static readonly TimeSpan PollFor = TimeSpan.FromSeconds(10);

    public async Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        string operationId = AcsSmsSender.RepeatabilityId(message.IdempotencyKey);
        var body = new
        {
            senderAddress,
            content = new { subject = message.Subject, plainText = message.Text },
            recipients = new { to = new[] { new { address = message.To } } },
            userEngagementTrackingDisabled = true,
        };

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, $"./emails:send?api-version={ApiVersion}")) { Content = JsonContent.Create(body) };
        request.Headers.Add("Operation-Id", operationId);
        using HttpResponseMessage accepted = await http.SendAsync(request, cancellationToken);
        string text = await accepted.Content.ReadAsStringAsync(cancellationToken);
        if (accepted.StatusCode != HttpStatusCode.Accepted)
        {
            return new EmailSendResult(false, null, $"HTTP {(int)accepted.StatusCode}: {ErrorOf(text)}");
        }

        Uri status = accepted.Headers.TryGetValues("Operation-Location", out var locations) && Uri.TryCreate(locations.First(), UriKind.Absolute, out Uri? location)
            ? location
            : new Uri(endpoint, $"emails/operations/{operationId}?api-version={ApiVersion}");
        TimeSpan wait = RetryAfter(accepted);
        DateTimeOffset until = clock.GetUtcNow() + PollFor;
        string? state = StatusOf(text, out string? error);
        while (state is "NotStarted" or "Running" or null)
        {
            if (clock.GetUtcNow() + wait > until)
            {
                return new EmailSendResult(true, operationId, null);
            }

            await Task.Delay(wait, clock, cancellationToken);
            using HttpResponseMessage polled = await http.GetAsync(status, cancellationToken);
            text = await polled.Content.ReadAsStringAsync(cancellationToken);
            if (!polled.IsSuccessStatusCode)
            {
                // The send was taken; not knowing how it ended is not a refusal to resend on.
                return new EmailSendResult(true, operationId, null);
            }

            state = StatusOf(text, out error);
            wait = RetryAfter(polled);
        }

        return state == "Succeeded"
            ? new EmailSendResult(true, operationId, null)
            : new EmailSendResult(false, null, $"{state}: {error ?? "no reason given"}");
    }

    static TimeSpan RetryAfter(HttpResponseMessage response) =>
        TimeSpan.FromSeconds(Math.Clamp(response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 1, 0.2, 5));

    static string? StatusOf(string json, out string? error)
    {
        error = null;
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            if (root.TryGetProperty("error", out JsonElement e) && e.ValueKind == JsonValueKind.Object)
            {
                error = $"{(e.TryGetProperty("code", out JsonElement c) ? c.GetString() : "")} {(e.TryGetProperty("message", out JsonElement m) ? m.GetString() : "")}".Trim();
            }

            return root.TryGetProperty("status", out JsonElement s) ? s.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The service's error of a refused send, else the start of what it answered.</summary>
    static string ErrorOf(string json)
    {
        _ = StatusOf(json, out string? error);
        return error ?? (json.Length <= 300 ? json : json[..300]);
    }
}
