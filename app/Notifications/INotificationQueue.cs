namespace JisuDai.App.Notifications;

/// <summary>The queue of notifications to send (<see cref="NotificationRequest.QueueName"/>), drained by <see cref="NotificationDelivery"/>.</summary>
public interface INotificationQueue
{
    /// <summary>Queues <paramref name="message"/> (a <see cref="NotificationRequest"/> as JSON), visible after <paramref name="delay"/>.</summary>
    Task SendAsync(string message, TimeSpan delay, CancellationToken cancellationToken);
}
