using System.Diagnostics;
using System.Net.Sockets;

namespace JisuDai.Tests;

/// <summary>
/// @vercel/cosmosdb-server from tools/cosmosdb on a free loopback port (HTTPS, self-signed), stopped by PID:
/// a local peer that speaks the Cosmos DB SQL API for the Cosmos store's contract tests.
/// </summary>
public sealed class CosmosServer : IAsyncLifetime
{
    Process? process;

    public string Endpoint { get; private set; } = "";

    public async Task InitializeAsync()
    {
        string script = Repository.Path("tools", "cosmosdb", "serve.js");
        if (!Directory.Exists(Repository.Path("tools", "cosmosdb", "node_modules", "@vercel", "cosmosdb-server")))
        {
            throw new InvalidOperationException("cosmosdb-server is not installed: run `npm ci --prefix tools/cosmosdb` (the test command does).");
        }

        // As for Azurite: a chosen port can be taken before the server binds it; then it exits and fresh ports are tried.
        for (int attempt = 1; !await LaunchAsync(script); attempt++)
        {
            if (attempt == 3)
            {
                throw new InvalidOperationException("cosmosdb-server did not start.");
            }
        }
    }

    async Task<bool> LaunchAsync(string script)
    {
        int port = AzuriteServer.FreePort();
        var start = new ProcessStartInfo("node") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(port.ToString());
        process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Endpoint = $"https://127.0.0.1:{port}/";
        var clock = Stopwatch.StartNew();
        while (true)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port);
                if (!process.HasExited)
                {
                    return true;
                }
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(30) && !process.HasExited)
            {
                await Task.Delay(50);
                continue;
            }
            catch (SocketException)
            {
            }

            process.Kill(entireProcessTree: true);
            process.Dispose();
            process = null;
            return false;
        }
    }

    public async Task DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process?.Dispose();
    }
}
