using Azure.Data.Tables;
using Azure.Storage.Blobs;
using JisuDai.Adapters.Staff;
using JisuDai.App.Staff;
using JisuDai.Tests;

namespace JisuDai.Tools.Tests;

/// <summary><c>jisudai audit verify</c> on Azurite: intact is exit 0; a changed entry is named, exit 3.</summary>
public sealed class AuditCommandTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Verify_says_the_log_is_intact_and_names_the_entry_someone_changed()
    {
        var log = new TableAuditLog(new TableServiceClient(azurite.Server.ConnectionString), new BlobServiceClient(azurite.Server.ConnectionString), TimeProvider.System);
        for (int n = 1; n <= 3; n++)
        {
            await log.AppendAsync(new StaffAction("admin-1", ["admin"], "propose RuleSetPublication", "default", $"request r-{n}"), default);
        }

        var intact = JisudaiCli.Run("audit", "verify", "--storage", azurite.Server.ConnectionString);
        Assert.True(intact.ExitCode == 0, intact.Error);
        Assert.Contains("intact: 3 entries", intact.Out);

        TableClient rows = new TableServiceClient(azurite.Server.ConnectionString).GetTableClient("auditlog");
        TableEntity second = (await rows.GetEntityAsync<TableEntity>("log", 2L.ToString("D19"))).Value;
        second["Action"] = second.GetString("Action").Replace("admin-1", "admin-2");
        await rows.UpdateEntityAsync(second, second.ETag, TableUpdateMode.Replace);

        var broken = JisudaiCli.Run("audit", "verify", "--storage", azurite.Server.ConnectionString);
        Assert.Equal(3, broken.ExitCode);
        Assert.Contains("BROKEN at entry 2", broken.Out);
    }
}
