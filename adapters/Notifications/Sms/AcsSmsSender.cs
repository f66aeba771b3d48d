using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JisuDai.App.Notifications;

namespace JisuDai.Adapters.Notifications.Sms;

/// <summary>
/// Sends through Azure Communication Services' SMS REST API (<c>POST /sms?api-version=2021-03-07</c>). The
/// HttpClient's handlers sign each attempt and retry transient failures. The repeatability id is derived from
/// the notification's idempotency key, so the service itself drops a duplicate of a send it already took.
/// </summary>
public sealed class AcsSmsSender(HttpClient http, Uri endpoint, string from, TimeProvider clock) : ISmsSender
{
    public const string ApiVersion = "2021-03-07";

    /// <summary>
    /// The HttpClient the sender needs: retries outside, authorization inside, so every attempt is authorized anew.
    /// <paramref name="authorization"/> is <see cref="AcsRequestSigning"/> (an access key) or <see cref="AcsEntraAuthorization"/> (a managed identity).
    /// </summary>
    public static HttpClient CreateClient(DelegatingHandler authorization, TimeProvider clock, HttpMessageHandler? transport = null, TimeSpan? retryBaseDelay = null)
    {
        authorization.InnerHandler = transport ?? new SocketsHttpHandler();
        return new(new TransientRetries(clock, retryBaseDelay) { InnerHandler = authorization }) { Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        var body = new
        {
            from,
            smsRecipients = new[]
            {
                new
                {
                    to = message.To,
                    repeatabilityRequestId = RepeatabilityId(message.IdempotencyKey),
                    repeatabilityFirstSent = clock.GetUtcNow().ToString("r", CultureInfo.InvariantCulture),
                },
            },
            message = message.Text,
            smsSendOptions = new { enableDeliveryReport = true, tag = message.IdempotencyKey },
        };

        using HttpResponseMessage response = await http.PostAsJsonAsync(new Uri(endpoint, $"sms?api-version={ApiVersion}"), body, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return new SmsSendResult(false, null, $"HTTP {(int)response.StatusCode}: {Truncate(text)}");
        }

        try
        {
            using JsonDocument json = JsonDocument.Parse(text);
            JsonElement result = json.RootElement.GetProperty("value")[0];
            return result.GetProperty("successful").GetBoolean()
                ? new SmsSendResult(true, result.GetProperty("messageId").GetString(), null)
                : new SmsSendResult(false, null, result.TryGetProperty("errorMessage", out JsonElement error) ? error.GetString() : "refused");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or IndexOutOfRangeException or InvalidOperationException)
        {
            return new SmsSendResult(false, null, $"Unreadable response: {Truncate(text)}");
        }
    }

    /// <summary>The same key always gives the same GUID (the first 16 bytes of its SHA-256).</summary>
    public static string RepeatabilityId(string idempotencyKey) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey)).AsSpan(0, 16)).ToString();

    static string Truncate(string text) => text.Length <= 300 ? text : text[..300];
}
