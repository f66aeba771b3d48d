using JisuDai.Tests;
namespace JisuDai.Standalone.Tests;

/// <summary>Bad configuration stops the host at start with a message that names the setting at fault.</summary>
public sealed class ConfigurationTests
{
    const string UnusedPortStorage =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        "BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";

    [Theory]
    [InlineData("AzureWebJobsStorage", "this-is-not-a-connection-string", "Setting 'AzureWebJobsStorage'")]
    [InlineData("AzureWebJobsStorage", UnusedPortStorage, "Setting 'AzureWebJobsStorage': storage devstoreaccount1 at http://127.0.0.1:9 is not reachable")]
    [InlineData("PurgeHistorySchedule", "every day at noon", "Setting 'PurgeHistorySchedule'")]
    [InlineData("WEBSITE_TIME_ZONE", "Mars/Olympus_Mons", "Setting 'WEBSITE_TIME_ZONE'")]
    [InlineData("Cosmos__AccountEndpoint", "http://cosmos.example", "Setting 'Cosmos:AccountEndpoint'")]
    [InlineData("Email__From", "DoNotReply@alerts.lender.example", "Setting 'Email:From': needs the Communication Services resource")]
    [InlineData("Alerts__OnCallEmails", "oncall@lender.example, not-an-address", "Setting 'Alerts:OnCallEmails'")]
    public async Task A_bad_setting_fails_fast_naming_it(string setting, string value, string message)
    {
        var settings = new Dictionary<string, string>
        {
            [setting] = value,
            ["JisuDai__StorageStartupTimeoutSeconds"] = "3",
            ["JisuDai__DataDirectory"] = Directory.CreateTempSubdirectory("jisudai-config-").FullName,
        };
        await using StandaloneProcess host = StandaloneProcess.Start(settings);

        int exitCode = await host.WaitForExitAsync(TimeSpan.FromSeconds(45));

        Assert.Equal(2, exitCode);
        Assert.Contains(message, host.Output);
        Assert.DoesNotContain("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq", host.Output);
        if (host.AzuriteProcessId is { } azurite)
        {
            Assert.True(await StandaloneProcess.WaitUntilGoneAsync(azurite, TimeSpan.FromSeconds(5)));
        }
    }
}

/// <summary>The embedded Azurite's start: a port taken by someone else is retried; a real failure is a clear message.</summary>
public sealed class EmbeddedAzuriteStartTests : IDisposable
{
    readonly string fakeAzurite = Directory.CreateTempSubdirectory("jisudai-fake-azurite-").FullName;
    readonly string data = Directory.CreateTempSubdirectory("jisudai-data-").FullName;

    /// <summary>An Azurite directory whose launcher fails the first <paramref name="failures"/> launches as given, then runs the real one.</summary>
    void Launcher(int failures, string failure)
    {
        Directory.CreateDirectory(Path.Combine(fakeAzurite, "node_modules", "azurite"));
        File.WriteAllText(Path.Combine(fakeAzurite, "node_modules", "azurite", "package.json"), "{}");
        string real = JisuDai.Tests.Repository.Path("tools", "azurite", "supervised.js").Replace("\\", "\\\\");
        File.WriteAllText(Path.Combine(fakeAzurite, "supervised.js"), $$"""
            const fs = require("fs"), counter = __dirname + "/launches";
            const n = fs.existsSync(counter) ? Number(fs.readFileSync(counter)) : 0;
            fs.writeFileSync(counter, String(n + 1));
            if (n < {{failures}}) { console.error("{{failure}}"); process.exit(1); }
            require("{{real}}");
            """);
    }

    [Fact]
    public async Task A_port_taken_before_Azurite_binds_it_is_retried_on_fresh_ports()
    {
        Launcher(1, "Exit due to unhandled error: listen EADDRINUSE: address already in use 127.0.0.1:10001");
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string> { ["JisuDai__AzuriteDirectory"] = fakeAzurite, ["JisuDai__DataDirectory"] = data });

        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));

        Assert.Equal("2", File.ReadAllText(Path.Combine(fakeAzurite, "launches")));
    }

    [Fact]
    public async Task An_Azurite_that_cannot_start_stops_the_host_with_its_reason_and_no_crash()
    {
        Launcher(99, "Azurite cannot open its database: disk full");
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string> { ["JisuDai__AzuriteDirectory"] = fakeAzurite, ["JisuDai__DataDirectory"] = data });

        Assert.Equal(2, await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("JisuDai cannot start. Azurite did not start within 30 s: Azurite cannot open its database: disk full", host.Output);
        Assert.DoesNotContain("Unhandled exception", host.Output);
        Assert.Equal("1", File.ReadAllText(Path.Combine(fakeAzurite, "launches"))); // not retried: not a port conflict
    }

    public void Dispose()
    {
        foreach (string directory in new[] { fakeAzurite, data })
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
