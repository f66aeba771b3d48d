using JisuDai.Tests.Shared.Security;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using JisuDai.Adapters.Risk;
using JisuDai.App.Risk;
using JisuDai.App.Security;
using JisuDai.Lending.Customers;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Defaults;
using JisuDai.Risk.Rules;
using JisuDai.Tests;

namespace JisuDai.Functions.Tests.Risk;

/// <summary>The rule-set publications, blacklist and velocity stores on Azurite.</summary>
public sealed class RuleAndCheckStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    PersonalData Sealer => field ??= TestKeyVault.PersonalData(new TableServiceClient(azurite.Server.ConnectionString), TestTokens.PersonalDataKey);

    static RuleSet Rules(string name, string description, DateTimeOffset? effectiveFrom = null)
    {
        JsonNode doc = JsonNode.Parse(DefaultModel.RulesJson())!;
        doc["name"] = name;
        doc["description"] = description;
        doc["effectiveFrom"] = (effectiveFrom ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).ToString("O");
        return RuleSet.Parse(Encoding.UTF8.GetBytes(doc.ToJsonString()), RuleSetCatalogs.Publishing).RuleSet!;
    }

    BlobRuleSetStore Store() => new(new BlobServiceClient(azurite.Server.ConnectionString), TimeProvider.System);

    static string Name() => $"r{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Publishing_stores_each_version_once_and_lists_publications_newest_first()
    {
        string name = Name();
        RuleSet v1 = Rules(name, "first"), v2 = Rules(name, "second");
        BlobRuleSetStore store = Store();

        await store.PublishAsync(v1, CancellationToken.None);
        await store.PublishAsync(v2, CancellationToken.None);
        await store.PublishAsync(v2, CancellationToken.None);

        var published = await store.ListAsync(name, CancellationToken.None);
        Assert.Equal([v2.Version, v1.Version], published.Select(p => p.Version));
        Assert.Equal(v1.ToJson(), await store.GetAsync(name, v1.Version, CancellationToken.None));
        Assert.Equal(v2.Version, RuleSetsInForce.At(published, Now)!.Version);
    }

    [Fact]
    public async Task Rollback_restores_the_previous_rule_set_and_refuses_when_there_is_nothing_before()
    {
        string name = Name();
        RuleSet v1 = Rules(name, "first"), v2 = Rules(name, "second");
        BlobRuleSetStore store = Store();
        await store.PublishAsync(v1, CancellationToken.None);
        await store.PublishAsync(v2, CancellationToken.None);

        PublishedRuleSet? inForce = await store.RollbackAsync(name, Now, CancellationToken.None);

        Assert.Equal(v1.Version, inForce!.Version);
        Assert.Equal([v1.Version], (await store.ListAsync(name, CancellationToken.None)).Select(p => p.Version));
        var e = await Assert.ThrowsAsync<RuleSetStoreException>(() => store.RollbackAsync(name, Now, CancellationToken.None));
        Assert.Contains("no earlier publication", e.Message);
    }

    [Fact]
    public async Task A_version_effective_in_the_future_decides_only_from_its_time()
    {
        string name = Name();
        RuleSet current = Rules(name, "now"), later = Rules(name, "from December", new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(8)));
        BlobRuleSetStore store = Store();
        await store.PublishAsync(current, CancellationToken.None);
        await store.PublishAsync(later, CancellationToken.None);
        var published = await store.ListAsync(name, CancellationToken.None);

        Assert.Equal(current.Version, RuleSetsInForce.At(published, Now)!.Version);
        Assert.Equal(current.Version, RuleSetsInForce.At(published, new DateTimeOffset(2026, 11, 30, 15, 59, 59, TimeSpan.Zero))!.Version);
        Assert.Equal(later.Version, RuleSetsInForce.At(published, new DateTimeOffset(2026, 11, 30, 16, 0, 0, TimeSpan.Zero))!.Version);
    }

    [Fact]
    public async Task Two_publications_at_once_both_land_in_the_history()
    {
        string name = Name();
        RuleSet a = Rules(name, "a"), b = Rules(name, "b");

        await Task.WhenAll(Store().PublishAsync(a, CancellationToken.None), Store().PublishAsync(b, CancellationToken.None));

        Assert.Equal(new[] { a.Version, b.Version }.Order(), (await Store().ListAsync(name, CancellationToken.None)).Select(p => p.Version).Order());
    }

    [Fact]
    public async Task Blacklist_entries_are_listed_until_they_expire_and_can_be_removed()
    {
        var blacklist = new TableBlacklist(new TableServiceClient(azurite.Server.ConnectionString), Sealer);
        string phone = $"+86138{Random.Shared.Next(10_000_000, 99_999_999)}";
        await blacklist.AddAsync(new BlacklistEntry("phone", phone, "collections", "abuse", Now.AddHours(1)), CancellationToken.None);
        await blacklist.AddAsync(new BlacklistEntry("name", "Zhang San", "bureau", "fraud ring", null), CancellationToken.None);

        var active = await blacklist.ListActiveAsync(Now, CancellationToken.None);
        Assert.Contains(active, e => e.Kind == "phone" && e.Value == phone && e.ExpiresAt == Now.AddHours(1));
        Assert.DoesNotContain(await blacklist.ListActiveAsync(Now.AddHours(1), CancellationToken.None), e => e.Value == phone);

        // At rest the table holds neither the phone nor the name, only fingerprints and sealed values.
        string stored = string.Join("|", new TableServiceClient(azurite.Server.ConnectionString).GetTableClient("blacklist").Query<TableEntity>()
            .SelectMany(e => ((IDictionary<string, object>)e).Values.Append(e.RowKey)));
        Assert.DoesNotContain(phone, stored);
        Assert.DoesNotContain("Zhang", stored);

        Assert.True(await blacklist.RemoveAsync("name", "ZHANG san", CancellationToken.None));
        Assert.False(await blacklist.RemoveAsync("name", "Zhang San", CancellationToken.None));
        Assert.DoesNotContain(await blacklist.ListActiveAsync(Now, CancellationToken.None), e => e.Kind == "name");
    }

    [Fact]
    public async Task Velocity_counts_each_application_once_and_only_within_30_days()
    {
        var velocity = new TableVelocity(new TableServiceClient(azurite.Server.ConnectionString), Sealer);
        string phone = $"+86139{Random.Shared.Next(10_000_000, 99_999_999)}";
        await velocity.RecordAsync("phone", phone, "app-1", new Sighting(Now - TimeSpan.FromDays(31), "c1"), CancellationToken.None);
        await velocity.RecordAsync("phone", phone, "app-2", new Sighting(Now - TimeSpan.FromHours(2), "c1"), CancellationToken.None);
        await velocity.RecordAsync("phone", phone, "app-3", new Sighting(Now, "c2"), CancellationToken.None);
        await velocity.RecordAsync("phone", phone, "app-3", new Sighting(Now, "c2"), CancellationToken.None);

        var seen = await velocity.SeenAsync("phone", phone, Now - Velocity.Month, CancellationToken.None);

        Assert.Equal(2, seen.Count);
        Assert.Equal(new VelocityCounts(1, 2, 2), Velocity.Count(seen.Select(s => s.At), Now));
        Assert.Equal(2, seen.Select(s => s.Customer).Distinct().Count());
        Assert.DoesNotContain(seen, s => s.Customer is "c1" or "c2");
    }
}
