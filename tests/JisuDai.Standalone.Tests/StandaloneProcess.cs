using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using JisuDai.Tests;

namespace JisuDai.Standalone.Tests;

/// <summary>
/// The standalone host as a real process, the way a user runs it: the built JisuDai.Standalone.dll on a
/// free loopback port. Disposing kills it and the Azurite it started, by PID.
/// </summary>
sealed partial class StandaloneProcess : IAsyncDisposable
{
    public const int Sigkill = 9, Sigterm = 15, Sigint = 2;

    readonly Process process;
    readonly ConcurrentQueue<string> output = new();

    /// <summary>One payment-provider simulator per storage account: a host restarted on the same storage finds the same provider (port and books).</summary>
    static readonly ConcurrentDictionary<string, (int Port, string State)> Providers = new();

    StandaloneProcess(Process process, int port, int providerPort)
    {
        this.process = process;
        Provider = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{providerPort}/"), Timeout = TimeSpan.FromSeconds(30) };
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/"), Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Admin);
        Anonymous = new HttpClient { BaseAddress = Client.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>A client with an admin's bearer token.</summary>
    public HttpClient Client { get; }

    /// <summary>The payment-provider simulator the host started (its own controls: pay an order, faults).</summary>
    public HttpClient Provider { get; }

    /// <summary>The borrower pays payment <paramref name="paymentId"/> in their app (at the simulator).</summary>
    public async Task PayAsync(string paymentId, string outcome = "success")
    {
        using HttpResponseMessage paid = await Provider.PostAsJsonAsync($"simulator/transactions/{paymentId[..paymentId.IndexOf('.')]}/pay", new { outcome });
        if (!paid.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The simulator refused to pay {paymentId}: {(int)paid.StatusCode} {await paid.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Runs the built <c>jisudai</c> CLI against this host's payment simulator: <c>jisudai payments pay &lt;paymentId&gt;</c>.</summary>
    public (int ExitCode, string Out, string Error) PayWithCli(string paymentId)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in new[] { Path.Combine(Repository.BuildOutput(Path.Combine("tools", "jisudai")), "jisudai.dll"), "payments", "pay", paymentId, "--simulator", Provider.BaseAddress!.ToString() })
        {
            start.ArgumentList.Add(argument);
        }

        using Process cli = Process.Start(start)!;
        Task<string> stdout = cli.StandardOutput.ReadToEndAsync(), stderr = cli.StandardError.ReadToEndAsync();
        cli.WaitForExit();
        return (cli.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>A client with no token.</summary>
    public HttpClient Anonymous { get; }

    /// <summary>A client acting as <paramref name="subject"/> with <paramref name="roles"/>.</summary>
    public HttpClient As(string subject, params string[] roles)
    {
        var client = new HttpClient { BaseAddress = Client.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.For(subject, roles));
        return client;
    }

    public int ProcessId => process.Id;

    public string Output => string.Join('\n', output);

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>The PID of the Azurite this host started, from its start-up line; null when it started none.</summary>
    public int? AzuriteProcessId => AzuritePid().Match(Output) is { Success: true } m ? int.Parse(m.Groups[1].Value) : null;

    /// <summary>Starts the host; with <paramref name="ownProcessGroup"/> it leads a process group of its own, as a terminal's foreground job does, for <see cref="SignalGroup"/>.</summary>
    public static StandaloneProcess Start(IReadOnlyDictionary<string, string> settings, bool ownProcessGroup = false)
    {
        int port = AzuriteServer.FreePort();
        var start = new ProcessStartInfo(ownProcessGroup ? "/usr/bin/setsid" : "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        if (ownProcessGroup)
        {
            start.ArgumentList.Add("dotnet"); // setsid execs in place: the host's pid is the group's id
        }

        start.ArgumentList.Add(Path.Combine(Repository.BuildOutput("standalone"), "JisuDai.Standalone.dll"));
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Auth__SigningKey"] = TestTokens.SigningKey;
        start.Environment["Security__PersonalDataKey"] = TestTokens.PersonalDataKey;
        (int providerPort, string providerState) = Providers.GetOrAdd(settings.TryGetValue("AzureWebJobsStorage", out string? storage) ? storage : Guid.NewGuid().ToString(),
            _ => (AzuriteServer.FreePort(), Path.Combine(Path.GetTempPath(), $"jisudai-provider-{Guid.NewGuid():N}.json")));
        start.Environment["JisuDai__PaymentSimulatorUrl"] = $"http://127.0.0.1:{providerPort}";
        start.Environment["JisuDai__PaymentSimulatorState"] = providerState;
        start.Environment["JisuDai__PaymentSimulatorSettleMs"] = "100";
        foreach ((string key, string value) in settings)
        {
            start.Environment[key] = value;
        }

        return new StandaloneProcess(Process.Start(start)!, port, providerPort);
    }

    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with {process.ExitCode}:\n{Output}");
            }

            try
            {
                using HttpResponseMessage response = await Client.GetAsync("health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The host was not healthy within {timeout}:\n{Output}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    public void Signal(int signal) => _ = Kill(process.Id, signal);

    /// <summary>Signals every process in the host's group (started with ownProcessGroup), as Ctrl+C in a terminal does.</summary>
    public void SignalGroup(int signal) => _ = Kill(-process.Id, signal);

    public async Task<string> StartOrchestrationAsync(string route, object body)
    {
        using HttpResponseMessage response = await Client.PostAsJsonAsync(route, body);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("instanceId").GetString()!;
    }

    /// <summary>Polls an orchestration until it finishes, returning its status document.</summary>
    public async Task<JsonElement> WaitForOrchestrationAsync(string instanceId, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            JsonElement status = await Client.GetFromJsonAsync<JsonElement>($"diagnostics/orchestrations/{instanceId}");
            string runtimeStatus = status.GetProperty("runtimeStatus").GetString()!;
            if (runtimeStatus is "Completed" or "Failed" or "Terminated")
            {
                return status;
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{instanceId} is still {runtimeStatus} after {timeout}:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    public static bool IsRunning(int pid)
    {
        try
        {
            using Process p = Process.GetProcessById(pid);
            return !p.HasExited && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ");
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException)
        {
            return false;
        }
    }

    public static async Task<bool> WaitUntilGoneAsync(int pid, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (IsRunning(pid))
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        int? azurite = AzuriteProcessId;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        if (azurite is { } pid && IsRunning(pid))
        {
            _ = Kill(pid, Sigkill);
        }

        Client.Dispose();
        Provider.Dispose();
        process.Dispose();
    }

    [GeneratedRegex(@"embedded Azurite, pid (\d+)")]
    private static partial Regex AzuritePid();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Kill(int pid, int signal);
}
