namespace JisuDai.App.Payments;

/// <summary>The provider's notifications as handled: each id recorded once, with what came of it (for staff and reconciliation; applying a notification is idempotent on its own).</summary>
public interface IPaymentNoticeLog
{
    /// <summary>Records that notification <paramref name="id"/> was handled, with its event type and outcome (recording it again changes nothing).</summary>
    Task RecordAsync(string id, string eventType, string outcome, CancellationToken cancellationToken);
}
