using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using JisuDai.Adapters.Security;
using JisuDai.App.Security;

namespace JisuDai.Tools.Bench;

/// <summary>
/// <c>jisudai bench http</c>: starts a standalone host and loads two of its endpoints over loopback from this process,
/// in turn (two rounds, each endpoint's better round reported), each for the same time with the same connections: <c>GET /api/diagnostics/ping</c> (the least an
/// endpoint does: the token checked, a small JSON answer), the same-run baseline, then <c>POST /api/risk/score</c> (the
/// body parsed, the application mapped and scored, reasons in two languages). The load generator shares the machine
/// with the host, as wrk would, so the figures that travel are the ratios. One JSON object on stdout, progress on stderr.
/// </summary>
static class HttpBenchmarks
{
    public static async Task<string> RunAsync(int seconds, int connections, CancellationToken cancellationToken)
    {
        await using StandaloneHostProcess host = StandaloneHostProcess.Start();
        await host.WaitUntilHealthyAsync(cancellationToken);
        Tokens tokens = host.Tokens();
        string admin = tokens.Mint("bench-admin", [Roles.Admin], DateTimeOffset.UtcNow, TimeSpan.FromHours(2));
        string reviewer = tokens.Mint("bench-reviewer", [Roles.Reviewer], DateTimeOffset.UtcNow, TimeSpan.FromHours(2));
        byte[] application = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["termMonths"] = 24, ["amount"] = 6000, ["age"] = 31, ["housing"] = "rent", ["purpose"] = "electronics", ["employmentYears"] = 2.5,
            ["checkingBalance"] = 150, ["savingsBalance"] = 300, ["creditHistory"] = "current", ["otherParties"] = "none", ["property"] = "car",
            ["otherInstallmentPlans"] = "none", ["installmentToIncomePercent"] = 22, ["existingLoans"] = 1, ["job"] = "skilled", ["dependents"] = 1,
            ["yearsAtAddress"] = 3, ["hasRegisteredPhone"] = true,
        });

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = host.Client.BaseAddress };
        HttpRequestMessage Ping() => new(HttpMethod.Get, "diagnostics/ping") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", admin) } };
        HttpRequestMessage Score() => new(HttpMethod.Post, "risk/score")
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", reviewer) },
            Content = new ByteArrayContent(application) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };

        Console.Error.WriteLine("Waiting for the default model to train...");
        for (var wait = Stopwatch.StartNew(); ; await Task.Delay(500, cancellationToken))
        {
            using HttpResponseMessage first = await http.SendAsync(Score(), cancellationToken);
            if (first.IsSuccessStatusCode)
            {
                break;
            }

            if (first.StatusCode != System.Net.HttpStatusCode.ServiceUnavailable || wait.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new TimeoutException($"POST /api/risk/score answered {(int)first.StatusCode}: {await first.Content.ReadAsStringAsync(cancellationToken)}");
            }
        }

        // Two rounds, alternating, and each endpoint's better one: the host's first minute (JIT tiers, its start-up
        // work) slows whichever runs first.
        var pings = new List<Load>();
        var scores = new List<Load>();
        for (int round = 1; round <= 2; round++)
        {
            pings.Add(await LoadAsync("GET /api/diagnostics/ping", http, Ping, seconds, connections, cancellationToken));
            scores.Add(await LoadAsync("POST /api/risk/score", http, Score, seconds, connections, cancellationToken));
        }

        Load ping = pings.MaxBy(l => l.RequestsPerSecond)!, score = scores.MaxBy(l => l.RequestsPerSecond)!;
        return BenchOutput.Json(new
        {
            machine = BenchOutput.Machine,
            connections,
            seconds,
            baseline = ping with { What = "GET /api/diagnostics/ping: the token checked, {\"pong\":true}" },
            score = score with { What = "POST /api/risk/score: an 18-field application parsed, mapped, scored, 4 reasons in two languages" },
            scoreOverBaseline = new
            {
                requestsPerSecond = Math.Round(score.RequestsPerSecond / ping.RequestsPerSecond, 2),
                p50 = Math.Round(score.P50Ms / ping.P50Ms, 2),
                p99 = Math.Round(score.P99Ms / ping.P99Ms, 2),
            },
        });
    }

    sealed record Load(string What, long Requests, long Failed, double RequestsPerSecond, double P50Ms, double P99Ms, double P999Ms);

    /// <summary><paramref name="connections"/> loops sending <paramref name="request"/> back to back: 2 s of warm-up, then <paramref name="seconds"/> timed.</summary>
    static async Task<Load> LoadAsync(string name, HttpClient http, Func<HttpRequestMessage> request, int seconds, int connections, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"{name}: {connections} connections, 2 s warm-up, {seconds} s timed...");
        long failed = 0;
        async Task<List<double>> RunFor(TimeSpan span)
        {
            var times = new List<double>(100_000);
            for (var clock = Stopwatch.StartNew(); clock.Elapsed < span;)
            {
                long start = Stopwatch.GetTimestamp();
                using HttpResponseMessage response = await http.SendAsync(request(), HttpCompletionOption.ResponseContentRead, cancellationToken);
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failed);
                }
            }

            return times;
        }

        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => RunFor(TimeSpan.FromSeconds(2))));
        failed = 0;
        var wall = Stopwatch.StartNew();
        List<double>[] all = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => RunFor(TimeSpan.FromSeconds(seconds))));
        double elapsed = wall.Elapsed.TotalSeconds;
        double[] sorted = all.SelectMany(t => t).Order().ToArray();
        return new Load(name, sorted.Length, failed, Math.Round(sorted.Length / elapsed), BenchOutput.Percentile(sorted, 0.50), BenchOutput.Percentile(sorted, 0.99), BenchOutput.Percentile(sorted, 0.999));
    }
}
