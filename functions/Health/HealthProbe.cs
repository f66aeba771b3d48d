using System.Diagnostics;
using JisuDai.Adapters.Configuration;
using Microsoft.DurableTask.Client;

namespace JisuDai.Functions.Health;

/// <summary>
/// Checks what the app cannot work without: the Storage account and the Durable task hub. (The scoring
/// model joins this list when the model registry lands.) Each check is bounded in time so a hung
/// dependency reports unhealthy instead of hanging the probe.
/// </summary>
public sealed class HealthProbe(StorageAccount storage)
{
    static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public async Task<HealthReport> CheckAsync(DurableTaskClient durable, CancellationToken cancellationToken)
    {
        HealthCheck[] checks = await Task.WhenAll(
            RunAsync("storage", async ct =>
            {
                await storage.PingAsync(ct);
                return storage.Description;
            }, cancellationToken),
            RunAsync("taskHub", async ct =>
            {
                // A lookup of an id that never exists reads the hub's instance store without side effects.
                await durable.GetInstanceAsync("health-probe", getInputsAndOutputs: false, ct);
                return $"task hub '{durable.Name}' answers";
            }, cancellationToken));
        return HealthReport.Of(checks);
    }

    static async Task<HealthCheck> RunAsync(string name, Func<CancellationToken, Task<string>> check, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(CheckTimeout);
        try
        {
            string detail = await check(cts.Token);
            return new HealthCheck(name, true, clock.ElapsedMilliseconds, detail);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            string reason = cts.IsCancellationRequested ? $"no answer within {CheckTimeout.TotalSeconds:0} s" : e.GetType().Name;
            return new HealthCheck(name, false, clock.ElapsedMilliseconds, reason);
        }
    }
}
