using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JisuDai.Adapters.Storage;

/// <summary>
/// The gauge <c>jisudai.queue.poison.depth</c> (tag <c>queue</c>): how many messages wait in each queue trigger's
/// poison queue (<c>&lt;queue&gt;-poison</c>, where both hosts move a message after its last try). A gauge's callback
/// must not wait on the network, so the depths are read every <see cref="Every"/> in the background and the gauge
/// reports the last read; a queue that does not exist yet is 0. Runs only where telemetry is exported.
/// </summary>
public sealed class PoisonQueueDepths : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(30);

    readonly QueueServiceClient queues;
    readonly IReadOnlyList<string> names;
    readonly ILogger<PoisonQueueDepths> logger;
    readonly ConcurrentDictionary<string, long> depths = new(StringComparer.Ordinal);
    readonly Meter meter = new(App.Telemetry.LendingTelemetry.Name);

    public PoisonQueueDepths(QueueServiceClient queues, IReadOnlyList<string> triggerQueues, ILogger<PoisonQueueDepths> logger)
    {
        this.queues = queues;
        names = triggerQueues.Select(q => $"{q}-poison").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        this.logger = logger;
        meter.CreateObservableGauge("jisudai.queue.poison.depth",
            () => depths.Select(d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>("queue", d.Key))),
            "{message}", "Messages given up on, waiting in each poison queue (read every 30 s).");
    }

    /// <summary>Reads every poison queue's depth once.</summary>
    public async Task ReadAsync(CancellationToken cancellationToken)
    {
        foreach (string name in names)
        {
            try
            {
                QueueProperties properties = await queues.GetQueueClient(name).GetPropertiesAsync(cancellationToken);
                depths[name] = properties.ApproximateMessagesCount;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                depths[name] = 0;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        do
        {
            try
            {
                await ReadAsync(stoppingToken);
            }
            catch (Exception e) when (e is RequestFailedException or HttpRequestException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                // The gauge keeps the last depths read; storage answering again brings it up to date.
                logger.LogWarning("Could not read the poison queues' depths: {Error}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override void Dispose()
    {
        meter.Dispose();
        base.Dispose();
    }
}
