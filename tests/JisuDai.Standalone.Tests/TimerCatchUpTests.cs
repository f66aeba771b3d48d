using Azure.Data.Tables;
using JisuDai.App.Loans;
using JisuDai.Tests;

namespace JisuDai.Standalone.Tests;

/// <summary>A timer occurrence that fell while no host ran fires once when the next host starts, past due, as under Functions.</summary>
public sealed class TimerCatchUpTests
{
    [Fact]
    public async Task An_occurrence_due_while_no_host_ran_runs_once_at_start_and_the_next_one_is_recorded()
    {
        await using AzuriteServer azurite = await AzuriteServer.StartAsync();
        // What the last host recorded before it went down: the nightly sweep was next due an hour ago.
        TableClient statuses = new TableServiceClient(azurite.ConnectionString).GetTableClient("timerstatus");
        await statuses.CreateIfNotExistsAsync();
        DateTimeOffset missed = DateTimeOffset.UtcNow.AddHours(-1);
        await statuses.UpsertEntityAsync(new TableEntity("timers", "OverdueSweep") { ["Next"] = missed });

        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        DateTimeOffset deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (!host.Output.Contains("Timer OverdueSweep ran") && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Contains("Timer OverdueSweep: the occurrence due", host.Output);
        Assert.Contains("Timer OverdueSweep ran", host.Output);
        Assert.Contains("(past due)", host.Output);
        Assert.Single(host.Output.Split('\n'), l => l.Contains("Timer OverdueSweep ran"));
        // The schedule moved on: the next occurrence is in the future, so a restart now would not run it again.
        Assert.True((await statuses.GetEntityAsync<TableEntity>("timers", "OverdueSweep")).Value.GetDateTimeOffset("Next") > DateTimeOffset.UtcNow);
    }
}
