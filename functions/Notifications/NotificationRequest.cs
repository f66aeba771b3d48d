namespace JisuDai.Functions.Notifications;

/// <summary>A message to send, as queued by the lifecycle steps.</summary>
/// <param name="IdempotencyKey">Unique per intended message: a redelivered request with the same key is sent once.</param>
/// <param name="Recipient">The phone number to send to.</param>
/// <param name="Template">The template (event type) to render.</param>
/// <param name="Parameters">The template's named variables.</param>
public sealed record NotificationRequest(
    string IdempotencyKey,
    string Recipient,
    string Template,
    IReadOnlyDictionary<string, string>? Parameters)
{
    public const string QueueName = "notifications";
}
