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
