using JisuDai.App.Notifications.Templates;
using JisuDai.Lending;
using JisuDai.Lending.Documents;

namespace JisuDai.App.Notifications;

/// <summary>
/// Publishes notifications: each request is checked against its template when it is queued (recipient,
/// key, template, language, every variable), so what reaches the queue can always be rendered.
/// </summary>
public sealed class NotificationPublisher(INotificationQueue queue)
{
    /// <summary>Queues the request, or returns why it cannot be sent; nothing is queued then.</summary>
    public async Task<IReadOnlyList<DomainError>> PublishAsync(NotificationRequest request, CancellationToken cancellationToken)
    {
        var errors = new List<DomainError>();
        if (!DocumentKey.IsValid(request.IdempotencyKey))
        {
            errors.Add(new("idempotencyKey", "key-format", "The idempotency key must be 1 to 128 letters, digits, '-', '_' or '.'."));
        }

        try
        {
            NotificationRequest.Parse(request.ToJson());
        }
        catch (InvalidDataException) when (errors.Count == 0)
        {
            errors.Add(new("recipient", "phone-e164", "The recipient must be an E.164 phone number such as +8613800138000."));
        }

        errors.AddRange(NotificationTemplates.Render(request.Template, request.LanguageOrDefault, request.Parameters).Errors);
        if (errors.Count == 0)
        {
            await queue.SendAsync(request.ToJson(), TimeSpan.Zero, cancellationToken);
        }

        return errors;
    }
}
