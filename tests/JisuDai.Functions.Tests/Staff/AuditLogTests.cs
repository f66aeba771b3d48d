using Azure.Storage.Blobs;
using JisuDai.Adapters.Staff;
using JisuDai.App.Staff;
using JisuDai.Tests;

namespace JisuDai.Functions.Tests.Staff;

/// <summary>
/// The staff audit log (append blobs, head apart, daily anchors) is one hash chain however many write at once, and a
/// changed entry, a removed one, a cut tail or a log rebuilt since an anchor is found.
/// </summary>
public sealed class AuditLogTests : IAsyncLifetime
{
    static readonly DateOnly Day = new(2026, 12, 2);
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    BlobAuditLog Log(int entriesPerBlob = 50_000) => new(new BlobServiceClient(azurite.ConnectionString), TimeProvider.System, entriesPerBlob);

    static StaffAction Action(int n) => new($"staff-{n % 3}", ["reviewer"], "approve Restructuring", $"loan-{n}.c-{n}", $"request r-{n}", $"10.0.0.{n}");

    static async Task AppendAsync(BlobAuditLog log, int from, int to)
    {
        for (int n = from; n <= to; n++)
        {
            await log.AppendAsync(Action(n), default);
        }
    }

    [Fact]
    public async Task Entries_written_at_once_by_many_form_one_intact_chain()
    {
        BlobAuditLog log = Log();
        AuditEntry[] written = await Task.WhenAll(Enumerable.Range(1, 24).Select(n => log.AppendAsync(Action(n), default)));

        Assert.Equal(Enumerable.Range(1, 24).Select(n => (long)n), written.Select(e => e.Sequence).Order());
        AuditVerification check = await AuditChain.VerifyAsync(log, default);
        Assert.Equal(new AuditVerification(true, 24, null, null), check);
        Assert.Equal(24, (await log.HeadAsync(default))!.Sequence);
        Assert.Equal(written.OrderBy(e => e.Sequence).Select(e => e.Action.ClientAddress), (await log.ReadAsync(default).ToListAsync()).Select(e => e.Action.ClientAddress));
    }

    [Fact]
    public async Task A_log_longer_than_one_blob_goes_on_in_the_next_and_reads_as_one_chain()
    {
        BlobAuditLog log = Log(entriesPerBlob: 3);
        await AppendAsync(log, 1, 7);

        Assert.Equal(new AuditVerification(true, 7, null, null), await AuditChain.VerifyAsync(log, default));
        var names = new List<string>();
        await foreach (var blob in new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("auditlog").GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, default))
        {
            names.Add(blob.Name);
        }

        Assert.Equal(["entries-000000.log", "entries-000001.log", "entries-000002.log"], names);
    }

    [Fact]
    public async Task A_changed_entry_is_found_where_it_was_changed_even_when_only_its_client_address_changed()
    {
        BlobAuditLog log = Log();
        await AppendAsync(log, 1, 5);

        await AuditBlobs.RewriteAsync(azurite.ConnectionString, lines => lines.Select((l, i) => i == 2 ? l.Replace("10.0.0.3", "10.0.0.99") : l).ToList());

        AuditVerification check = await AuditChain.VerifyAsync(log, default);
        Assert.Equal((false, 3L), (check.Intact, check.BrokenAt));
        Assert.Contains("do not match its hash", check.Problem);
    }

    [Fact]
    public async Task A_removed_entry_and_a_cut_tail_are_found()
    {
        BlobAuditLog log = Log();
        await AppendAsync(log, 1, 5);

        await AuditBlobs.RewriteAsync(azurite.ConnectionString, lines => lines.Take(4).ToList());
        AuditVerification cut = await AuditChain.VerifyAsync(log, default);
        Assert.Equal((false, 4L, 5L), (cut.Intact, cut.Entries, cut.BrokenAt));
        Assert.Contains("tail was cut", cut.Problem);

        await AuditBlobs.RewriteAsync(azurite.ConnectionString, lines => lines.Where((_, i) => i != 1).ToList());
        AuditVerification removed = await AuditChain.VerifyAsync(log, default);
        Assert.Equal((false, 2L), (removed.Intact, removed.BrokenAt));
        Assert.Contains("entry 2 is missing", removed.Problem);
    }

    [Fact]
    public async Task A_log_rebuilt_after_its_day_was_anchored_is_found_even_with_its_head_rebuilt_too()
    {
        BlobAuditLog log = Log();
        await AppendAsync(log, 1, 3);
        AuditAnchor anchor = (await log.AnchorAsync(Day, default))!;
        Assert.Equal(3, anchor.Sequence);
        await AppendAsync(log, 4, 5);
        Assert.Equal(anchor, await log.AnchorAsync(Day, default)); // a day is anchored once
        Assert.True((await AuditChain.VerifyAsync(log, default)).Intact);

        // Everything after entry 1 rewritten as a fresh, self-consistent chain, the head moved to match: only the anchor knows.
        var blobs = new BlobServiceClient(azurite.ConnectionString);
        await blobs.GetBlobContainerClient("auditlog").DeleteBlobAsync("entries-000000.log");
        await blobs.GetBlobContainerClient("audit").DeleteBlobAsync("head.json");
        BlobAuditLog forger = Log();
        await forger.AppendAsync(Action(1), default);
        await forger.AppendAsync(Action(20), default);
        await forger.AppendAsync(Action(21), default);

        AuditVerification rebuilt = await AuditChain.VerifyAsync(log, default);
        Assert.Equal((false, 3L), (rebuilt.Intact, rebuilt.BrokenAt));
        Assert.Contains("anchor of 2026-12-02", rebuilt.Problem);

        // Rebuilt shorter than the anchor: the tail the anchor recorded was cut.
        await blobs.GetBlobContainerClient("auditlog").DeleteBlobAsync("entries-000000.log");
        await blobs.GetBlobContainerClient("audit").DeleteBlobAsync("head.json");
        await AppendAsync(forger, 1, 2);
        AuditVerification shorter = await AuditChain.VerifyAsync(log, default);
        Assert.Equal((false, 2L), (shorter.Intact, shorter.Entries));
        Assert.Contains("anchor of 2026-12-02 records 3 entries", shorter.Problem);
    }
}
