using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace JisuDai.Tests;

/// <summary>
/// An Azurite of the tests' own: the pinned one from tools/azurite, in memory, on free loopback ports,
/// stopped by PID when the fixture is disposed.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    const string Account = "devstoreaccount1";
    const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    readonly Process process;

    AzuriteServer(Process process, string connectionString)
    {
        this.process = process;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public int ProcessId => process.Id;

    public static async Task<AzuriteServer> StartAsync()
    {
        string azurite = Repository.Path("tools", "azurite", "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException("Azurite is not installed: run `npm ci --prefix tools/azurite` (the test command does).");
        }

        // Another process may take a chosen port before Azurite binds it; Azurite then exits, and fresh ports are tried.
        for (int attempt = 1; ; attempt++)
        {
            if (await LaunchAsync(azurite) is { } server)
            {
                return server;
            }

            if (attempt == 3)
            {
                throw new InvalidOperationException("Azurite did not start.");
            }
        }
    }

    static async Task<AzuriteServer?> LaunchAsync(string azurite)
    {
        int blob = FreePort(), queue = FreePort(), table = FreePort();
        var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[]
        {
            azurite, "--inMemoryPersistence", "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--blobPort", $"{blob}", "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
        })
        {
            start.ArgumentList.Add(a);
        }

        Process process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new AzuriteServer(process,
            $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};BlobEndpoint=http://127.0.0.1:{blob}/{Account};" +
            $"QueueEndpoint=http://127.0.0.1:{queue}/{Account};TableEndpoint=http://127.0.0.1:{table}/{Account};");
        var clock = Stopwatch.StartNew();
        while (process.HasExited || !(Answers(blob) && Answers(queue) && Answers(table)))
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                await server.DisposeAsync();
                return null;
            }

            await Task.Delay(50);
        }

        return server;
    }

    /// <summary>
    /// A loopback port free now, for a server about to start. Taken at random below the ephemeral range (Linux 32768 to
    /// 60999, Windows from 49152), where the system gives outgoing connections their local ports: a port the system hands
    /// out for "any free port" can be taken by a client socket before the server binds it.
    /// </summary>
    public static int FreePort()
    {
        while (true)
        {
            int port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }
    }

    static bool Answers(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    bool disposed;

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
