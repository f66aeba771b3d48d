using System.CommandLine;
using JisuDai.Adapters.Composition;
using JisuDai.App.Staff;
using JisuDai.Tools.Risk;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JisuDai.Tools.Staff;

/// <summary><c>jisudai audit verify</c>: checks the staff audit log's hash chain and its head; exit 0 when intact, 3 when not.</summary>
static class AuditCommand
{
    public static Command Create()
    {
        var storage = new Option<string?>("--storage") { Description = "Storage connection string (default: $AzureWebJobsStorage, else the running local host's Azurite).", Recursive = true };
        var verify = new Command("verify", "Checks every entry's hash and link and the recorded head; exit 0 when intact, 3 when not.");
        verify.SetAction(async (parse, ct) =>
        {
            int exit = 0;
            int code = await StorageConnection.RunAsync(parse.GetValue(storage), async connectionString =>
            {
                await using ServiceProvider services = AppComposition.Over(connectionString);
                AuditVerification result = await AuditChain.VerifyAsync(services.GetRequiredService<IAuditLog>(), ct);
                Console.Out.WriteLine(result.Intact
                    ? $"intact: {result.Entries} entries, the last one the recorded head"
                    : $"BROKEN at entry {result.BrokenAt}: {result.Problem} ({result.Entries} entries check out before it)");
                exit = result.Intact ? 0 : 3;
            });
            return code != 0 ? code : exit;
        });
        return new Command("audit", "The staff audit log.") { storage, verify };
    }
}
