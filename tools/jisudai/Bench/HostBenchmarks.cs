using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace JisuDai.Tools.Bench;

/// <summary>
/// The foundation's two benchmarks: process start to a healthy <c>/api/health</c> (embedded Azurite
/// included), and throughput and latency of the two-activity RoundTrip orchestration on Azurite.
/// Progress goes to stderr; the result is one JSON object.
/// </summary>
static class HostBenchmarks
{
    public static async Task<string> RunAsync(int instances, int startupRuns, CancellationToken cancellationToken)
    {
        var startups = new List<double>();
        for (int run = 1; run <= startupRuns; run++)
        {
            var clock = Stopwatch.StartNew();
            await using StandaloneHostProcess host = StandaloneHostProcess.Start();
            await host.WaitUntilHealthyAsync(cancellationToken);
            startups.Add(clock.Elapsed.TotalMilliseconds);
            await Console.Error.WriteLineAsync($"startup {run}/{startupRuns}: {clock.Elapsed.TotalMilliseconds:0} ms");
        }

        OrchestrationFigures orchestrations = await MeasureOrchestrationsAsync(instances, cancellationToken);
        var result = new
        {
            machine = BenchOutput.Machine,
            startupToHealthyMs = new { runs = startupRuns, min = startups.Min(), median = Percentile(startups, 50), max = startups.Max() },
            roundTripOrchestrations = orchestrations,
        };
        return JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
    }

    /// <param name="Instances">Orchestrations started at once.</param>
    /// <param name="PerSecond">Instances over the span from the first creation to the last completion (task hub timestamps).</param>
    /// <param name="BurstP50Ms">Created-to-completed time within the burst: mostly time spent queued behind the others.</param>
    /// <param name="UnloadedP50Ms">Created-to-completed time of one orchestration at a time.</param>
    sealed record OrchestrationFigures(
        int Instances, double PerSecond, double BurstP50Ms, double BurstP99Ms,
        int UnloadedRuns, double UnloadedP50Ms, double UnloadedP99Ms);

    static async Task<OrchestrationFigures> MeasureOrchestrationsAsync(int instances, CancellationToken cancellationToken)
    {
        await using StandaloneHostProcess host = StandaloneHostProcess.Start();
        await host.WaitUntilHealthyAsync(cancellationToken);
        using HttpClient admin = host.AdminClient();

        // Warm up: the first orchestrations pay for JIT and queue creation.
        await RunBatchAsync(admin, 10, cancellationToken);

        const int unloadedRuns = 30;
        var unloaded = new List<double>();
        for (int i = 0; i < unloadedRuns; i++)
        {
            unloaded.AddRange(Latencies(await RunBatchAsync(admin, 1, cancellationToken)));
        }

        await Console.Error.WriteLineAsync($"unloaded: {unloadedRuns} orchestrations one at a time, p50 {Percentile(unloaded, 50):0} ms");

        List<JsonElement> burst = await RunBatchAsync(admin, instances, cancellationToken);
        DateTimeOffset first = burst.Min(s => s.GetProperty("createdAt").GetDateTimeOffset());
        DateTimeOffset last = burst.Max(s => s.GetProperty("lastUpdatedAt").GetDateTimeOffset());
        List<double> burstLatencies = Latencies(burst);
        return new OrchestrationFigures(
            instances,
            Math.Round(instances / (last - first).TotalSeconds, 1),
            Math.Round(Percentile(burstLatencies, 50), 1),
            Math.Round(Percentile(burstLatencies, 99), 1),
            unloadedRuns,
            Math.Round(Percentile(unloaded, 50), 1),
            Math.Round(Percentile(unloaded, 99), 1));
    }

    // From the task hub's own timestamps, so the benchmark's polling interval does not count.
    static List<double> Latencies(IEnumerable<JsonElement> finished) =>
        finished.Select(s => (s.GetProperty("lastUpdatedAt").GetDateTimeOffset() - s.GetProperty("createdAt").GetDateTimeOffset()).TotalMilliseconds).ToList();

    static async Task<List<JsonElement>> RunBatchAsync(HttpClient client, int count, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            using HttpResponseMessage response = await client.PostAsJsonAsync("diagnostics/round-trips", new { payload = $"bench-{i}" }, ct);
            response.EnsureSuccessStatusCode();
            string id = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("instanceId").GetString()!;
            lock (ids)
            {
                ids.Add(id);
            }
        });

        var done = new Dictionary<string, JsonElement>();
        while (done.Count < ids.Count)
        {
            foreach (string id in ids.Where(id => !done.ContainsKey(id)).ToList())
            {
                JsonElement status = await client.GetFromJsonAsync<JsonElement>($"diagnostics/orchestrations/{id}", cancellationToken);
                string runtimeStatus = status.GetProperty("runtimeStatus").GetString()!;
                if (runtimeStatus is "Failed" or "Terminated")
                {
                    throw new InvalidOperationException($"{id} ended {runtimeStatus}.");
                }

                if (runtimeStatus == "Completed")
                {
                    done[id] = status;
                }
            }

            if (count > 10)
            {
                await Console.Error.WriteLineAsync($"orchestrations: {done.Count}/{ids.Count} completed");
            }

            if (done.Count < ids.Count)
            {
                await Task.Delay(count > 10 ? 500 : 20, cancellationToken);
            }
        }

        return done.Values.ToList();
    }

    static double Percentile(IReadOnlyList<double> values, double percentile)
    {
        var sorted = values.Order().ToArray();
        double rank = percentile / 100 * (sorted.Length - 1);
        int low = (int)Math.Floor(rank), high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }
}
