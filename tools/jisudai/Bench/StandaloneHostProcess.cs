using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using JisuDai.Adapters.Security;
using JisuDai.App.Security;

namespace JisuDai.Tools.Bench;

/// <summary>The built standalone host started as a user starts it, on a free port over a fresh data folder.</summary>
sealed class StandaloneHostProcess : IAsyncDisposable
{
    readonly Process process;
    readonly string dataDirectory;

    StandaloneHostProcess(Process process, string dataDirectory, int port)
    {
        this.process = process;
        this.dataDirectory = dataDirectory;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/") };
    }

    public HttpClient Client { get; }

    /// <summary>The host's data folder (its embedded Azurite and development keys).</summary>
    public string DataDirectory => dataDirectory;

    /// <summary>Tokens under the host's development signing key, which it writes at start.</summary>
    public Tokens Tokens() => new("jisudai", "jisudai-api", Convert.FromBase64String(File.ReadAllText(Path.Combine(dataDirectory, "keys", "auth-signing-key")).Trim()));

    /// <summary>A client carrying an admin's token (the diagnostics endpoints need one); call it once the host is healthy.</summary>
    public HttpClient AdminClient()
    {
        var client = new HttpClient { BaseAddress = Client.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", Tokens().Mint("bench-admin", [Roles.Admin], DateTimeOffset.UtcNow, TimeSpan.FromHours(2)));
        return client;
    }

    public static StandaloneHostProcess Start()
    {
        string configuration = typeof(StandaloneHostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "BuildConfiguration").Value!;
        string root = RepositoryRoot();
        string dll = Path.Combine(root, "standalone", "bin", configuration, "net10.0", "JisuDai.Standalone.dll");
        if (!File.Exists(dll))
        {
            // The CLI does not build the host (it needs only the application layer); ./jisudai bench builds it first.
            throw new InvalidOperationException($"The standalone host is not built: run `dotnet build standalone -c {configuration}` (./jisudai bench does it for you).");
        }

        string data = Directory.CreateTempSubdirectory("jisudai-bench-").FullName;
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
        start.ArgumentList.Add(dll);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["JisuDai__DataDirectory"] = data;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // Thousands of customers from one address: the per-address request limits would stop the load, not measure it.
        start.Environment["JisuDai__Limits__Enabled"] = "false";
        // …and the velocity rule (ten applications an hour from one address) would refer them: the benches stand in for
        // one proxy that names each customer's own address in X-Forwarded-For.
        start.Environment["JisuDai__Network__ForwardedHops"] = "1";
        var process = Process.Start(start)!;
        // JISUDAI_BENCH_HOST_LOG names a file for the host's own output (warnings and errors), to see why a run went wrong.
        TextWriter? log = Environment.GetEnvironmentVariable("JISUDAI_BENCH_HOST_LOG") is { Length: > 0 } logPath ? TextWriter.Synchronized(File.AppendText(logPath)) : null;
        process.OutputDataReceived += (_, line) => log?.WriteLine(line.Data);
        process.ErrorDataReceived += (_, line) => log?.WriteLine(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new StandaloneHostProcess(process, data, port);
    }

    public async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The standalone host exited with {process.ExitCode}.");
            }

            try
            {
                using HttpResponseMessage response = await Client.GetAsync("health", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(10, cancellationToken);
        }
    }

    static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "JisuDai.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("Run the tool from inside the JisuDai repository.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // SIGTERM: a graceful stop, which also stops the host's Azurite.
            Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(45));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        Client.Dispose();
        process.Dispose();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
