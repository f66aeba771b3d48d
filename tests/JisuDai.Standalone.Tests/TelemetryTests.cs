using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using JisuDai.App.Security;
using JisuDai.Tests;
using static JisuDai.Standalone.Tests.Borrowing;

namespace JisuDai.Standalone.Tests;

/// <summary>
/// OpenTelemetry on a host with the console exporter: one borrower's submission is one trace, from the HTTP request
/// through the credit decision and the approval orchestration's activities to the storage calls, under the caller's W3C trace id; the app's metrics are
/// exported with their bounded tags; problems carry the same trace id. With no exporter set, nothing is exported.
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    [Fact]
    public async Task A_submission_is_one_trace_from_the_request_through_the_decision_to_storage_and_the_decision_is_counted()
    {
        // Two messages given up on earlier, for the poison-queue gauge to find.
        var poison = new Azure.Storage.Queues.QueueClient(azurite.ConnectionString, "notifications-poison");
        await poison.CreateIfNotExistsAsync();
        await poison.SendMessageAsync("given up 1");
        await poison.SendMessageAsync("given up 2");
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Telemetry__Exporter"] = "console",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
        });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
        await DecideAllAsync(host, "approve");
        string traceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        using HttpClient applicant = host.As("cust-traced", Roles.Applicant);
        applicant.DefaultRequestHeaders.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-01");
        string id = await SubmitAsync(applicant, "traced-1", Application(phone: "+8613900000401"));
        await WaitForStatusAsync(host.As("cust-traced", Roles.Applicant), id, "Offered");

        // A refusal names the same trace, so a borrower's support call finds it.
        using HttpResponseMessage refused = await applicant.PostAsync("applications", new StringContent("{", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(traceId, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        string[] spans = await WaitForAsync(host, () => SpansOf(host.Output, traceId), s => s.Contains("credit decision") && s.Any(n => n.StartsWith("activity:", StringComparison.Ordinal)));
        Assert.Contains(spans, s => s.StartsWith("POST", StringComparison.Ordinal) && s.Contains("applications", StringComparison.Ordinal)); // the request
        Assert.Contains("credit decision", spans); // the app's own step
        Assert.Contains(spans, s => s.StartsWith("activity:", StringComparison.Ordinal)); // the approval's steps, continuing the request's trace
        Assert.Contains(spans, s => s.StartsWith("TableClient.", StringComparison.Ordinal) || s.StartsWith("BlobClient.", StringComparison.Ordinal) || s.StartsWith("BlobContainerClient.", StringComparison.Ordinal)); // storage

        string metrics = await WaitForAsync(host, () => host.Output, o => o.Contains("jisudai.decisions", StringComparison.Ordinal) && o.Contains("jisudai.decision.duration", StringComparison.Ordinal));
        Assert.Matches(new Regex(@"jisudai\.decisions[\s\S]*?arm: champion[\s\S]*?outcome: approve|jisudai\.decisions[\s\S]*?outcome: approve[\s\S]*?arm: champion"), metrics);
        // Every queue trigger's poison queue has a depth: the two waiting in the notifications' one, none in the files' one.
        var depth = new Regex(@"queue: (?<queue>[a-z-]+-poison)[^\n]*\n\s*Value: (?<depth>[0-9]+)");
        string gauges = await WaitForAsync(host, () => host.Output, o => depth.IsMatch(o));
        var depths = depth.Matches(gauges).GroupBy(m => m.Groups["queue"].Value).ToDictionary(g => g.Key, g => g.Last().Groups["depth"].Value);
        Assert.True(depths.GetValueOrDefault("notifications-poison") == "2", $"depths: {string.Join(", ", depths)}; {gauges[^Math.Min(gauges.Length, 1500)..]}");
        Assert.DoesNotContain("+8613900000401", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_exporter_nothing_is_exported_and_an_unknown_one_stops_the_host_naming_the_setting()
    {
        await using (StandaloneProcess quiet = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString }))
        {
            await quiet.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
            using HttpResponseMessage health = await quiet.Anonymous.GetAsync("health");
            await Task.Delay(1500);
            Assert.DoesNotContain("Activity.TraceId", quiet.Output, StringComparison.Ordinal);
        }

        await using StandaloneProcess wrong = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString, ["Telemetry__Exporter"] = "zipkin" });
        Assert.Equal(2, await wrong.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Telemetry:Exporter", wrong.Output, StringComparison.Ordinal);
    }

    /// <summary>The display names of the spans the console exporter wrote under <paramref name="traceId"/>.</summary>
    static string[] SpansOf(string output, string traceId) =>
        Regex.Matches(output, @"Activity\.TraceId:\s+(?<trace>[0-9a-f]{32})[\s\S]*?Activity\.DisplayName:\s+(?<name>[^\r\n]+)")
            .Where(m => m.Groups["trace"].Value == traceId).Select(m => m.Groups["name"].Value.Trim()).ToArray();

    static async Task<T> WaitForAsync<T>(StandaloneProcess host, Func<T> read, Func<T, bool> done)
    {
        T value = read();
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); !done(value); value = read())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"Not exported in 30 s. Output ends: {host.Output[^Math.Min(host.Output.Length, 3000)..]}");
            await Task.Delay(250);
        }

        return value;
    }
}
