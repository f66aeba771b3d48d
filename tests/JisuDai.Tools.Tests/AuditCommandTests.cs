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
        var log = new BlobAuditLog(new BlobServiceClient(azurite.Server.ConnectionString), TimeProvider.System);
        for (int n = 1; n <= 3; n++)
        {
            await log.AppendAsync(new StaffAction("admin-1", ["admin"], "propose RuleSetPublication", "default", $"request r-{n}"), default);
        }

        var intact = JisudaiCli.Run("audit", "verify", "--storage", azurite.Server.ConnectionString);
        Assert.True(intact.ExitCode == 0, intact.Error);
        Assert.Contains("intact: 3 entries", intact.Out);

        await AuditBlobs.RewriteAsync(azurite.Server.ConnectionString, lines => lines.Select((l, i) => i == 1 ? l.Replace("admin-1", "admin-2") : l).ToList());

        var broken = JisudaiCli.Run("audit", "verify", "--storage", azurite.Server.ConnectionString);
        Assert.Equal(3, broken.ExitCode);
        Assert.Contains("BROKEN at entry 2", broken.Out);
    }
}
