using System.Text.Json;
using System.Text.RegularExpressions;
using JisuDai.Lending.Documents;

namespace JisuDai.App.Notifications;

/// <summary>A message to send, as queued by the lifecycle steps.</summary>
/// <param name="IdempotencyKey">Unique per intended message: a redelivered request with the same key is sent once.</param>
/// <param name="Recipient">Who to send to: a phone number, E.164 (+8613800138000), an email address (sent by email), or a reference resolved at send time (<c>application:{id}</c>).</param>
/// <param name="Template">The template (event type) to render.</param>
/// <param name="Language">zh-CN (default) or en.</param>
/// <param name="Parameters">The template's named variables.</param>
public sealed partial record NotificationRequest(
    string IdempotencyKey,
    string Recipient,
    string Template,
    string? Language,
    IReadOnlyDictionary<string, string>? Parameters)
{
    public const string QueueName = "notifications";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string LanguageOrDefault => string.IsNullOrEmpty(Language) ? "zh-CN" : Language;

    /// <summary>True when the recipient is an email address: the message goes by email, not SMS.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool ByEmail => EmailAddress.IsValid(Recipient);

    /// <summary>Reads a queued request; throws <see cref="InvalidDataException"/> (so the queue retries, then poisons) when unreadable.</summary>
    public static NotificationRequest Parse(string message)
    {
        NotificationRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<NotificationRequest>(message, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Notification request is not valid JSON at {e.Path ?? "$"}.", e);
        }

        if (request is null || !DocumentKey.IsValid(request.IdempotencyKey))
        {
            throw new InvalidDataException("Notification request needs an idempotencyKey of letters, digits, '-', '_' or '.'.");
        }

        bool reference = request.Recipient?.StartsWith(RecipientDirectory.ApplicationPrefix, StringComparison.Ordinal) == true
            && DocumentKey.IsValid(request.Recipient[RecipientDirectory.ApplicationPrefix.Length..]);
        if (!(reference || Phone().IsMatch(request.Recipient ?? "") || EmailAddress.IsValid(request.Recipient)) || string.IsNullOrWhiteSpace(request.Template))
        {
            throw new InvalidDataException($"Notification request {request.IdempotencyKey} needs a recipient (an E.164 number, an email address or application:<id>) and a template.");
        }

        return request;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}\z")]
    private static partial Regex Phone();
}
