namespace JisuDai.App.Notifications;

/// <summary>One plain-text email to one address.</summary>
/// <param name="To">The address.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="Text">The rendered message.</param>
/// <param name="IdempotencyKey">The notification's key: a retried send names the same operation at the provider.</param>
public sealed record EmailMessage(string To, string Subject, string Text, string IdempotencyKey);

/// <summary>What the provider said.</summary>
/// <param name="Accepted">True when the provider took the email (and, where it answers in time, sent it).</param>
/// <param name="OperationId">The provider's id for the send, when accepted.</param>
/// <param name="Error">Why it was refused or failed, when not accepted.</param>
public sealed record EmailSendResult(bool Accepted, string? OperationId, string? Error);

/// <summary>Sends email. Azure Communication Services' Email where configured; a local sink by default.</summary>
public interface IEmailSender
{
    Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
