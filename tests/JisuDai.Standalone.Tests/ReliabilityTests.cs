using System.Net.Http.Json;
using System.Text.Json;

namespace JisuDai.Standalone.Tests;

/// <summary>
/// The standalone host with its embedded defaults (no configuration: it starts Azurite itself) under the
/// failures a user's machine sees: SIGKILL mid-wait, a timer due while it is down, Ctrl-C.
/// </summary>
public sealed class ReliabilityTests : IDisposable
{
    readonly string dataDirectory = Directory.CreateTempSubdirectory("jisudai-reliability-").FullName;

    Dictionary<string, string> EmbeddedDefaults => new() { ["JisuDai__DataDirectory"] = dataDirectory };

    [Fact]
    public async Task Waiting_orchestrations_survive_SIGKILL_and_a_timer_due_while_down_fires_after_restart()
    {
        string waitingForEvent, waitingForTimer;
        await using (StandaloneProcess first = StandaloneProcess.Start(EmbeddedDefaults))
        {
            await first.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
            waitingForEvent = await first.StartOrchestrationAsync("diagnostics/signals", new { timeoutSeconds = 3600 });
            waitingForTimer = await first.StartOrchestrationAsync("diagnostics/signals", new { timeoutSeconds = 6 });
            await WaitForStatusAsync(first, waitingForEvent, "Running");
            await WaitForStatusAsync(first, waitingForTimer, "Running");
            int azurite = first.AzuriteProcessId ?? throw new InvalidOperationException("no embedded Azurite");

            // Crash the moment both are waiting: Azurite must still save what it acknowledged.
            first.Signal(StandaloneProcess.Sigkill);
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));

            // The killed host cannot stop its Azurite; Azurite's own watchdog must.
            Assert.True(await StandaloneProcess.WaitUntilGoneAsync(azurite, TimeSpan.FromSeconds(15)), "Azurite outlived the killed host");
        }

        await Task.Delay(TimeSpan.FromSeconds(6)); // the durable timer comes due while no host runs

        await using StandaloneProcess second = StandaloneProcess.Start(EmbeddedDefaults);
        await second.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        using (HttpResponseMessage raised = await second.Client.PostAsync($"diagnostics/signals/{waitingForEvent}", JsonContent("""{"payload":"after-crash"}""")))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, raised.StatusCode);
        }

        JsonElement signalled = await second.WaitForOrchestrationAsync(waitingForEvent, TimeSpan.FromSeconds(60));
        JsonElement timedOut = await second.WaitForOrchestrationAsync(waitingForTimer, TimeSpan.FromSeconds(60));

        Assert.Equal("Completed", signalled.GetProperty("runtimeStatus").GetString());
        Assert.Equal(
            $$"""{"Signalled":true,"Payload":"after-crash","Echo":"after-crash@{{waitingForEvent}}"}""",
            signalled.GetProperty("output").GetString());
        Assert.Equal("Completed", timedOut.GetProperty("runtimeStatus").GetString());
        Assert.Equal(
            $$"""{"Signalled":false,"Payload":null,"Echo":"timeout@{{waitingForTimer}}"}""",
            timedOut.GetProperty("output").GetString());

        // Completed once: a second signal is refused rather than re-running anything.
        using HttpResponseMessage again = await second.Client.PostAsync($"diagnostics/signals/{waitingForEvent}", JsonContent("{}"));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task Ctrl_C_finishes_in_flight_work_stops_Azurite_and_leaves_no_process()
    {
        await using StandaloneProcess host = StandaloneProcess.Start(EmbeddedDefaults);
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        int azurite = host.AzuriteProcessId ?? throw new InvalidOperationException("no embedded Azurite");
        string roundTrip = await host.StartOrchestrationAsync("diagnostics/round-trips", new { payload = "drain" });
        await host.WaitForOrchestrationAsync(roundTrip, TimeSpan.FromSeconds(30));

        host.Signal(SigintIgnored() ? StandaloneProcess.Sigterm : StandaloneProcess.Sigint);
        int exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(45));

        Assert.Equal(0, exitCode);
        Assert.Contains("Durable worker stopped", host.Output);
        Assert.True(await StandaloneProcess.WaitUntilGoneAsync(azurite, TimeSpan.FromSeconds(5)), "Azurite is still running");
        Assert.False(File.Exists(Path.Combine(dataDirectory, "azurite", "azurite.pid")));
    }

    [Fact]
    public async Task A_signal_to_the_hosts_whole_process_group_stops_the_host_before_Azurite_with_no_storage_errors()
    {
        // A terminal's Ctrl+C reaches every process of its foreground group. Azurite must not stop with the host's
        // services still running against it: they would fail on refused connections until the shutdown limit.
        await using StandaloneProcess host = StandaloneProcess.Start(EmbeddedDefaults, ownProcessGroup: true);
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        int azurite = host.AzuriteProcessId ?? throw new InvalidOperationException("no embedded Azurite");
        string roundTrip = await host.StartOrchestrationAsync("diagnostics/round-trips", new { payload = "group" });
        await host.WaitForOrchestrationAsync(roundTrip, TimeSpan.FromSeconds(30));

        host.SignalGroup(StandaloneProcess.Sigterm);
        int exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(45));

        Assert.Equal(0, exitCode);
        Assert.Contains("Durable worker stopped", host.Output);
        Assert.DoesNotContain("Connection refused", host.Output);
        Assert.True(await StandaloneProcess.WaitUntilGoneAsync(azurite, TimeSpan.FromSeconds(5)), "Azurite is still running");
    }

    /// <summary>
    /// A process started in the background of a non-interactive shell inherits SIGINT as ignored, and .NET
    /// keeps it ignored; then only SIGTERM (what service managers send) can stop the host gracefully.
    /// </summary>
    static bool SigintIgnored()
    {
        string line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (StandaloneProcess.Sigint - 1))) != 0;
    }

    static async Task WaitForStatusAsync(StandaloneProcess host, string instanceId, string status)
    {
        for (int i = 0; i < 300; i++)
        {
            JsonElement state = await host.Client.GetFromJsonAsync<JsonElement>($"diagnostics/orchestrations/{instanceId}");
            if (state.GetProperty("runtimeStatus").GetString() == status)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{instanceId} never reached {status}.");
    }

    static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public void Dispose()
    {
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
