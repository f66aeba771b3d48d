using Azure.Data.Tables;
using Azure.Storage.Blobs;
using JisuDai.Adapters.Staff;
using JisuDai.App.Staff;
using JisuDai.Lending.Loans;
using JisuDai.Tests;

namespace JisuDai.Functions.Tests.Staff;

/// <summary>The staff audit log is one hash chain however many write at once, and a changed entry, a removed one or a cut tail is found.</summary>
public sealed class AuditLogTests : IAsyncLifetime
{
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    TableAuditLog Log() => new(new TableServiceClient(azurite.ConnectionString), new BlobServiceClient(azurite.ConnectionString), TimeProvider.System);

    TableClient Rows() => new TableServiceClient(azurite.ConnectionString).GetTableClient("auditlog");

    static StaffAction Action(int n) => new($"staff-{n % 3}", ["reviewer"], "approve Restructuring", $"loan-{n}.c-{n}", $"request r-{n}");

    [Fact]
    public async Task Entries_written_at_once_by_many_form_one_intact_chain()
    {
        TableAuditLog log = Log();
        AuditEntry[] written = await Task.WhenAll(Enumerable.Range(1, 24).Select(n => log.AppendAsync(Action(n), default)));

        Assert.Equal(Enumerable.Range(1, 24).Select(n => (long)n), written.Select(e => e.Sequence).Order());
        AuditVerification check = await AuditChain.VerifyAsync(log, default);
        Assert.Equal(new AuditVerification(true, 24, null, null), check);
        Assert.Equal(24, (await log.HeadAsync(default))!.Sequence);
    }

    [Fact]
    public async Task A_changed_entry_is_found_where_it_was_changed()
    {
        TableAuditLog log = Log();
        for (int n = 1; n <= 5; n++)
        {
            await log.AppendAsync(Action(n), default);
        }

        TableEntity third = (await Rows().GetEntityAsync<TableEntity>("log", 3L.ToString("D19"))).Value;
        third["Action"] = third.GetString("Action").Replace("staff-0", "staff-9");
        await Rows().UpdateEntityAsync(third, third.ETag, TableUpdateMode.Replace);

        AuditVerification check = await AuditChain.VerifyAsync(log, default);
        Assert.Equal((false, 3L), (check.Intact, check.BrokenAt));
        Assert.Contains("do not match its hash", check.Problem);
    }

    [Fact]
    public async Task A_removed_entry_and_a_cut_tail_are_found()
    {
        TableAuditLog log = Log();
        for (int n = 1; n <= 5; n++)
        {
            await log.AppendAsync(Action(n), default);
        }

        await Rows().DeleteEntityAsync("log", 5L.ToString("D19"));
        AuditVerification cut = await AuditChain.VerifyAsync(log, default);
        Assert.Equal((false, 4L, 5L), (cut.Intact, cut.Entries, cut.BrokenAt));
        Assert.Contains("tail was cut", cut.Problem);

        await Rows().DeleteEntityAsync("log", 2L.ToString("D19"));
        AuditVerification removed = await AuditChain.VerifyAsync(log, default);
        Assert.Equal((false, 2L), (removed.Intact, removed.BrokenAt));
        Assert.Contains("entry 2 is missing", removed.Problem);
    }
}
