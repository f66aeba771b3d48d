using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using JisuDai.Adapters.Configuration;
using JisuDai.Adapters.Notifications;
using JisuDai.Adapters.Staff;
using JisuDai.App.Notifications;
using JisuDai.App.Staff;
using JisuDai.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace JisuDai.Functions.Tests.Monitoring;

/// <summary>On-call hears of an alert once per opening, through the real notifications queue on Azurite.</summary>
public sealed class OnCallAlertTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task An_alert_opening_queues_one_message_per_on_call_phone_and_address_and_raising_it_again_while_open_queues_none()
    {
        StorageAccount storage = StorageAccount.FromConnectionString(azurite.Server.ConnectionString);
        string[] onCall = ["+8613800138000", "+8613900139000", "oncall@lender.example"];
        var alerts = new OnCallAlerts(new TableStaffAlerts(storage.Tables), new NotificationPublisher(new StorageNotificationQueue(storage)), onCall, TimeProvider.System, NullLogger<OnCallAlerts>.Instance);
        string id = $"monitoring-psi-{Guid.NewGuid():N}"[..40];
        var alert = new StaffAlert(id, "monitoring-psi", "8b727f7818615f2b", "PSI 0.41 over the 7 days to 2026-12-06.", DateTimeOffset.UtcNow);

        Assert.NotNull(await alerts.RaiseAsync(alert, CancellationToken.None));
        Assert.Null(await alerts.RaiseAsync(alert with { Detail = "PSI 0.44", At = DateTimeOffset.UtcNow }, CancellationToken.None));
        Assert.NotNull(Assert.Single(await alerts.ListAsync(CancellationToken.None), a => a.Id == id).NotifiedAt);
        var queued = await QueuedAsync(storage);
        Assert.Equal(onCall.Order(StringComparer.Ordinal), queued.Select(r => r.Recipient).Order(StringComparer.Ordinal));
        Assert.Equal([false, false, true], queued.OrderBy(r => r.Recipient, StringComparer.Ordinal).Select(r => r.ByEmail));
        Assert.All(queued, r => Assert.Equal((OnCallAlerts.Template, "monitoring-psi", "8b727f7818615f2b"), (r.Template, r.Parameters!["kind"], r.Parameters["target"])));
        Assert.Equal(3, queued.Select(r => r.IdempotencyKey).Distinct().Count());

        // Resolved, then raised again: a new opening, told again.
        await alerts.ResolveAsync(id, "risk-1", "Retrained.", DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.NotNull(await alerts.RaiseAsync(alert with { At = DateTimeOffset.UtcNow.AddMinutes(1) }, CancellationToken.None));
        Assert.Equal(6, (await QueuedAsync(storage)).Count);
        StaffAlert reopened = Assert.Single(await alerts.ListAsync(CancellationToken.None), a => a.Id == id);
        Assert.Equal((true, null, null), (reopened.Open, reopened.ResolvedBy, reopened.Resolution));
    }

    static async Task<List<NotificationRequest>> QueuedAsync(StorageAccount storage)
    {
        QueueClient queue = storage.Queues.GetQueueClient(NotificationRequest.QueueName);
        PeekedMessage[] messages = (await queue.PeekMessagesAsync(32)).Value;
        return messages.Select(m => NotificationRequest.Parse(m.Body.ToString())).ToList();
    }
}
