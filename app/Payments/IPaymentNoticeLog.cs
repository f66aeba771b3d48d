namespace JisuDai.App.Payments;

/// <summary>The provider's notifications as received: each id recorded once, with what came of it.</summary>
public interface IPaymentNoticeLog
{
    /// <summary>True when the notification with <paramref name="id"/> was handled before.</summary>
    Task<bool> SeenAsync(string id, CancellationToken cancellationToken);

    /// <summary>Records that notification <paramref name="id"/> was handled, with its event type and outcome (recording it again changes nothing).</summary>
    Task RecordAsync(string id, string eventType, string outcome, CancellationToken cancellationToken);
}
