using JisuDai.App.Notifications;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Notifications;

/// <summary>Drains the notifications queue (the rules of delivery are in <see cref="NotificationDelivery"/>).</summary>
public sealed class NotificationFunction(NotificationDelivery delivery)
{
    [Function("SendNotification")]
    public Task Run([QueueTrigger(NotificationRequest.QueueName)] string message, CancellationToken cancellationToken) =>
        delivery.DeliverAsync(message, cancellationToken);
}
