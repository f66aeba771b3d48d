using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using JisuDai.App.Configuration;
using JisuDai.Functions.Http;

namespace JisuDai.Standalone.Azurite;

/// <summary>
/// The embedded default storage: Azurite from tools/azurite, started on free loopback ports over a data
/// folder that outlives the process (so orchestrations survive restarts), stopped when the host stops.
/// Azurite runs under tools/azurite/supervised.js, which also stops it if this host is killed outright.
/// </summary>
sealed class EmbeddedAzurite : IAsyncDisposable
{
    // Azurite's fixed development account; the key is public and documented, not a secret.
    const string Account = "devstoreaccount1";
    const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    const string PidFile = "azurite.pid";
    const string Setsid = "/usr/bin/setsid";

    /// <summary>
    /// Where a running embedded Azurite's connection string is left for local tools (<c>jisudai models</c>). It holds
    /// Azurite's published development key, which is no secret, and is removed when Azurite stops.
    /// </summary>
    public const string ConnectionStringFile = "connection-string";

    readonly Process process;
    readonly string dataDirectory;

    EmbeddedAzurite(Process process, string dataDirectory, string connectionString)
    {
        this.process = process;
        this.dataDirectory = dataDirectory;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public int ProcessId => process.Id;

    public static async Task<EmbeddedAzurite> StartAsync(string azuriteDirectory, string dataDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string script = Path.Combine(azuriteDirectory, "supervised.js");
        if (!File.Exists(Path.Combine(azuriteDirectory, "node_modules", "azurite", "package.json")))
        {
            throw new ConfigurationException(StandaloneSettings.AzuriteDirectory,
                $"Azurite is not installed in {azuriteDirectory}: run `npm ci --prefix tools/azurite`, or set AzureWebJobsStorage to use other storage.");
        }

        Directory.CreateDirectory(dataDirectory);
        await StopLeftoverAsync(dataDirectory);

        // A free port is only free until someone takes it: between choosing ports and Azurite binding them another
        // process may. Azurite then exits with EADDRINUSE, and starting again on fresh ports is the remedy.
        for (int attempt = 1; ; attempt++)
        {
            (EmbeddedAzurite? azurite, string output) = await LaunchAsync(script, dataDirectory, timeout, cancellationToken);
            if (azurite is not null)
            {
                return azurite;
            }

            if (!output.Contains("EADDRINUSE", StringComparison.Ordinal) || attempt == 3)
            {
                throw new AzuriteStartException($"Azurite did not start within {timeout.TotalSeconds:0} s: {output}");
            }
        }
    }

    /// <summary>Starts Azurite on fresh ports; null (with its last output) when it exits or does not answer in time.</summary>
    static async Task<(EmbeddedAzurite? Azurite, string Output)> LaunchAsync(string script, string dataDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        int blob = FreePort(), queue = FreePort(), table = FreePort();
        // A terminal's Ctrl+C signals its whole process group: Azurite, hearing it too, would stop before the host's
        // own services and leave them failing against storage that is gone until the host's 30 s shutdown limit. In a
        // session of its own (setsid execs in place, so the pid is Node's) it hears only the host, which stops it last.
        bool ownSession = !OperatingSystem.IsWindows() && File.Exists(Setsid);
        var start = new ProcessStartInfo(ownSession ? Setsid : "node")
        {
            WorkingDirectory = Path.GetDirectoryName(script)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (ownSession)
        {
            start.ArgumentList.Add("node");
        }

        foreach (string argument in new[]
        {
            script, "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
            "--location", dataDirectory,
            "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(),
            "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", table.ToString(),
        })
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new AzuriteStartException("node did not start.");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, PidFile), process.Id.ToString(), cancellationToken);

        string connectionString =
            $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blob}/{Account};QueueEndpoint=http://127.0.0.1:{queue}/{Account};TableEndpoint=http://127.0.0.1:{table}/{Account};";
        var azurite = new EmbeddedAzurite(process, dataDirectory, connectionString);

        // Answering ports prove nothing if Azurite itself has exited (another process may own one of them).
        var clock = Stopwatch.StartNew();
        while (process.HasExited || !(await Answers(blob) && await Answers(queue) && await Answers(table)))
        {
            if (process.HasExited || clock.Elapsed > timeout)
            {
                if (process.HasExited)
                {
                    process.WaitForExit(); // drains its output, so the reason it exited is in hand
                }

                await azurite.DisposeAsync();
                return (null, string.Join(" | ", output.TakeLast(5)));
            }

            await Task.Delay(25, cancellationToken);
        }

        await File.WriteAllTextAsync(Path.Combine(dataDirectory, ConnectionStringFile), connectionString, cancellationToken);
        return (azurite, "");
    }

    /// <summary>Stops Azurite gracefully (SIGTERM, so it flushes its databases), killing it if it lingers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            _ = Signal(process.Id, Sigterm);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        File.Delete(Path.Combine(dataDirectory, PidFile));
        File.Delete(Path.Combine(dataDirectory, ConnectionStringFile));
        process.Dispose();
    }

    /// <summary>A previous host that was killed leaves its Azurite shutting down; wait for it, or end it.</summary>
    static async Task StopLeftoverAsync(string dataDirectory)
    {
        string pidPath = Path.Combine(dataDirectory, PidFile);
        if (!File.Exists(pidPath) || !int.TryParse(await File.ReadAllTextAsync(pidPath), out int pid))
        {
            return;
        }

        try
        {
            using Process leftover = Process.GetProcessById(pid);
            if (leftover.ProcessName == "node")
            {
                _ = Signal(pid, Sigterm);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await leftover.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    leftover.Kill(entireProcessTree: true);
                }
            }
        }
        catch (ArgumentException)
        {
            // Not running any more.
        }

        File.Delete(pidPath);
        File.Delete(Path.Combine(dataDirectory, ConnectionStringFile));
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static async Task<bool> Answers(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int Signal(int pid, int signal);
}

/// <summary>The embedded Azurite could not be started; the message carries its last output.</summary>
sealed class AzuriteStartException(string message) : Exception(message);
