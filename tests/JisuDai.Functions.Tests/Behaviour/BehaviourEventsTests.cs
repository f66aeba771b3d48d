using Azure.Data.Tables;
using JisuDai.Adapters.Behaviour;
using JisuDai.Risk.Behaviour;
using JisuDai.Tests;

namespace JisuDai.Functions.Tests.Behaviour;

/// <summary>Behaviour events in Table storage: append-only per customer, read back from a moment, and gone once their retention ends.</summary>
public sealed class BehaviourEventsTests : IAsyncLifetime
{
    static readonly DateTimeOffset Now = new(2026, 12, 3, 4, 0, 0, TimeSpan.Zero);
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    static (string, BehaviourEvent) Event(string id, DateTimeOffset at) =>
        (id, new BehaviourEvent(BehaviourKinds.PageView, at, "home", 1200, "dev", "addr", new DeviceTraits("ios", "18", "iPhone", "1179x2556", "Asia/Shanghai", "zh-CN", false, true)));

    [Fact]
    public async Task Events_are_kept_once_per_id_read_from_a_moment_and_purged_past_retention()
    {
        var store = new TableBehaviourEvents(new TableServiceClient(azurite.ConnectionString));
        // 250 old events over three transactions, and two recent ones, one of them sent twice.
        await store.AppendAsync("c-1", Enumerable.Range(0, 250).Select(i => Event($"old-{i}", Now.AddDays(-200).AddSeconds(i))).ToList(), CancellationToken.None);
        await store.AppendAsync("c-1", [Event("new-1", Now.AddDays(-1)), Event("new-2", Now.AddHours(-1)), Event("new-2", Now.AddHours(-1))], CancellationToken.None);
        await store.AppendAsync("c-1", [Event("new-2", Now.AddHours(-1))], CancellationToken.None);
        await store.AppendAsync("c-2", [Event("other", Now.AddDays(-190))], CancellationToken.None);

        IReadOnlyList<BehaviourEvent> recent = await store.ListAsync("c-1", Now.AddDays(-2), CancellationToken.None);
        Assert.Equal(2, recent.Count);
        Assert.True(recent[1].Traits!.Rooted);
        Assert.Equal(252, (await store.ListAsync("c-1", Now.AddDays(-365), CancellationToken.None)).Count);

        Assert.Equal(251, await store.PurgeAsync(Now.AddDays(-180), CancellationToken.None));
        Assert.Equal(2, (await store.ListAsync("c-1", Now.AddDays(-365), CancellationToken.None)).Count);
        Assert.Empty(await store.ListAsync("c-2", Now.AddDays(-365), CancellationToken.None));
        Assert.Equal(0, await store.PurgeAsync(Now.AddDays(-180), CancellationToken.None));
    }
}
