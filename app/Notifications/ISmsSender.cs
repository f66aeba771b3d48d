namespace JisuDai.App.Notifications;

/// <summary>One text message to one phone.</summary>
/// <param name="To">E.164 phone number, e.g. +8613800138000.</param>
/// <param name="Text">The rendered message.</param>
/// <param name="IdempotencyKey">The notification's key: the provider deduplicates retried sends by it.</param>
public sealed record SmsMessage(string To, string Text, string IdempotencyKey);

/// <summary>What the provider said.</summary>
/// <param name="Accepted">True when the provider took the message.</param>
/// <param name="ProviderMessageId">The provider's id for delivery tracking, when accepted.</param>
/// <param name="Error">Why it was refused, when not accepted.</param>
public sealed record SmsSendResult(bool Accepted, string? ProviderMessageId, string? Error);

/// <summary>Sends SMS. Azure Communication Services in Azure; a local sink by default.</summary>
public interface ISmsSender
{
    Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken);
}
