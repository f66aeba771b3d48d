using Azure.Data.Tables;
using JisuDai.Adapters.Staff;
using JisuDai.App.Staff;
using JisuDai.Tests;

namespace JisuDai.Functions.Tests.Staff;

/// <summary>The day's counts against the caps never pass a cap, however many count at once, and count each application once.</summary>
public sealed class DailyTallyTests : IAsyncLifetime
{
    static readonly DateOnly Day = new(2026, 12, 2);
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    TableDailyTally Tally() => new(new TableServiceClient(azurite.ConnectionString));

    [Fact]
    public async Task Twenty_approvals_at_once_against_a_cap_of_five_count_exactly_five()
    {
        TableDailyTally tally = Tally();
        TallyLimit[] limits = [new("approvals|Product|express", 5m)];

        TallyResult[] results = await Task.WhenAll(Enumerable.Range(1, 20).Select(n => tally.TryCountAsync(Day, "approvals", $"app-{n}.c", 1m, limits, default)));

        Assert.Equal(5, results.Count(r => r.Counted));
        Assert.All(results.Where(r => !r.Counted), r => Assert.Equal("approvals|Product|express", r.Reached));
        Assert.Equal(5m, (await tally.ReadAsync(Day, default))["approvals|Product|express"]);
    }

    [Fact]
    public async Task An_application_counts_once_a_day_and_every_counter_moves_together_or_none_does()
    {
        TableDailyTally tally = Tally();
        TallyLimit product = new("paid-out|Product|express", 30_000m), ruleSet = new("paid-out|RuleSet|default", 25_000m);

        Assert.True((await tally.TryCountAsync(Day, "paid-out", "app-1.c", 19_800m, [product, ruleSet], default)).Counted);
        Assert.True((await tally.TryCountAsync(Day, "paid-out", "app-1.c", 19_800m, [product, ruleSet], default)).Counted); // a retried payout
        // Room under the product's cap, none under the rule set's: neither moves.
        TallyResult refused = await tally.TryCountAsync(Day, "paid-out", "app-2.c", 9_900m, [product, ruleSet], default);
        Assert.Equal(new TallyResult(false, ruleSet.Counter), refused);
        Assert.True((await tally.TryCountAsync(Day.AddDays(1), "paid-out", "app-2.c", 9_900m, [product, ruleSet], default)).Counted); // the next day has room

        IReadOnlyDictionary<string, decimal> totals = await tally.ReadAsync(Day, default);
        Assert.Equal(19_800m, totals[product.Counter]);
        Assert.Equal(19_800m, totals[ruleSet.Counter]);
        Assert.Equal(2, totals.Count);
    }
}
