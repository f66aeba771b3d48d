using System.Diagnostics;
using System.Net.Sockets;
using JisuDai.Tests;

namespace JisuDai.Tools.Tests;

/// <summary>The built standalone host over a test's Azurite, on free loopback ports, for the commands that go through the app's API; killed by PID when disposed.</summary>
sealed class LocalApp : IAsyncDisposable
{
    readonly Process process;
    readonly string providerState;

    LocalApp(Process process, string api, string providerState)
    {
        this.process = process;
        this.providerState = providerState;
        Api = api;
    }

    /// <summary>The host's API root, for <c>--api</c>.</summary>
    public string Api { get; }

    public static async Task<LocalApp> StartAsync(string storage)
    {
        int port = FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository.Root };
        start.ArgumentList.Add(Path.Combine(Repository.BuildOutput("standalone"), "JisuDai.Standalone.dll"));
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["AzureWebJobsStorage"] = storage;
        start.Environment["Auth__SigningKey"] = TestTokens.SigningKey;
        start.Environment["Security__PersonalDataKey"] = TestTokens.PersonalDataKey;
        start.Environment["JisuDai__PaymentSimulatorUrl"] = $"http://127.0.0.1:{FreePort()}";
        string providerState = Path.Combine(Path.GetTempPath(), $"jisudai-cli-provider-{Guid.NewGuid():N}.json");
        start.Environment["JisuDai__PaymentSimulatorState"] = providerState;
        var app = new LocalApp(Process.Start(start)!, $"http://127.0.0.1:{port}/api", providerState);
        app.process.OutputDataReceived += (_, _) => { };
        app.process.ErrorDataReceived += (_, _) => { };
        app.process.BeginOutputReadLine();
        app.process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(90); await Task.Delay(200))
        {
            if (app.process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with {app.process.ExitCode}.");
            }

            try
            {
                if ((await http.GetAsync($"{app.Api}/health")).IsSuccessStatusCode)
                {
                    return app;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
        }

        throw new TimeoutException("The host did not become healthy within 90 s.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        File.Delete(providerState);
    }

    static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
