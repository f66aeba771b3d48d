using System.Text;
using System.Text.Json.Nodes;
using JisuDai.Risk.Defaults;
using JisuDai.Tests;

namespace JisuDai.Tools.Tests;

/// <summary>
/// Rule publications and rollbacks and model promotions and rollbacks from the command line go through the app as
/// proposals: one admin's command proposes, a second admin's <c>jisudai staff approve</c> carries it out, the proposer
/// cannot approve their own, and nothing changes in between.
/// </summary>
public sealed class FourEyesCommandTests(TrainedBundle trained, AzuriteFixture azurite) : IClassFixture<TrainedBundle>, IClassFixture<AzuriteFixture>
{
    static readonly string First = TestTokens.For("admin-1", "admin"), Second = TestTokens.For("admin-2", "admin");

    (int ExitCode, string Out, string Error) Cli(string api, string token, params string[] arguments) =>
        JisudaiCli.Run([.. arguments, "--api", api, "--token", token]);

    static (string Id, string Digest) Proposal(string output)
    {
        Assert.Contains("Proposed: staff request ", output);
        string id = output.Split("staff request ")[1].Split(' ')[0];
        string digest = output.Split("digest ")[1].Split('.')[0];
        return (id, digest);
    }

    [Fact]
    public async Task Publishing_and_rolling_back_rules_and_promoting_and_rolling_back_a_model_take_two_admins()
    {
        await using LocalApp app = await LocalApp.StartAsync(azurite.Server.ConnectionString);
        string storage = azurite.Server.ConnectionString;

        // Rules: proposed by one admin, carried out only when a second approves.
        JsonNode doc = JsonNode.Parse(Encoding.UTF8.GetString(DefaultModel.RulesJson()))!;
        doc["description"] = "published from the command line";
        string file = Path.Combine(Directory.CreateTempSubdirectory("jisudai-rules-").FullName, "rules.json");
        await File.WriteAllTextAsync(file, doc.ToJsonString());
        string version = JisudaiCli.Run("rules", "validate", file).Out.Split("version ")[1][..16];

        var proposed = Cli(app.Api, First, "rules", "publish", file);
        Assert.True(proposed.ExitCode == 0, proposed.Error);
        (string id, string digest) = Proposal(proposed.Out);
        Assert.DoesNotContain(version, JisudaiCli.Run("rules", "list", "--storage", storage).Out);
        Assert.Contains(id, Cli(app.Api, Second, "staff", "requests").Out);
        var own = Cli(app.Api, First, "staff", "approve", id, "--digest", digest);
        Assert.Equal(2, own.ExitCode);
        Assert.Contains("its proposer cannot approve it", own.Error);
        Assert.Equal(2, Cli(app.Api, Second, "staff", "approve", id, "--digest", "0000").ExitCode);
        var approved = Cli(app.Api, Second, "staff", "approve", id, "--digest", digest);
        Assert.True(approved.ExitCode == 0, approved.Error);
        Assert.Contains($"* {version}", JisudaiCli.Run("rules", "list", "--storage", storage).Out);

        // A second publication, so there is one to roll back to.
        doc["description"] = "published again";
        await File.WriteAllTextAsync(file, doc.ToJsonString());
        string newer = JisudaiCli.Run("rules", "validate", file).Out.Split("version ")[1][..16];
        (string again, string againDigest) = Proposal(Cli(app.Api, First, "rules", "publish", file).Out);
        Assert.Equal(0, Cli(app.Api, Second, "staff", "approve", again, "--digest", againDigest).ExitCode);
        Assert.Contains($"* {newer}", JisudaiCli.Run("rules", "list", "--storage", storage).Out);

        (string rollbackId, string rollbackDigest) = Proposal(Cli(app.Api, First, "rules", "rollback").Out);
        Assert.Contains($"* {newer}", JisudaiCli.Run("rules", "list", "--storage", storage).Out);
        Assert.Equal(0, Cli(app.Api, Second, "staff", "approve", rollbackId, "--digest", rollbackDigest).ExitCode);
        Assert.DoesNotContain(newer, JisudaiCli.Run("rules", "list", "--storage", storage).Out);
        Assert.Contains($"* {version}", JisudaiCli.Run("rules", "list", "--storage", storage).Out);

        // A model: registered through the API by one admin (which decides nothing), then promoted and rolled back through two admins.
        Assert.True(trained.Result.ExitCode == 0, trained.Result.Error);
        string empty = Directory.CreateTempSubdirectory("jisudai-bundle-").FullName;
        var refused = Cli(app.Api, First, "models", "register", "--bundle", empty);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("error: 400", refused.Error);
        await File.WriteAllTextAsync(Path.Combine(empty, "model.json"), "not a manifest");
        var corrupt = Cli(app.Api, First, "models", "register", "--bundle", empty);
        Assert.Equal(2, corrupt.ExitCode);
        Assert.Contains("error: 400", corrupt.Error);
        Assert.Equal(2, Cli(app.Api, TestTokens.For("rev-1", "reviewer"), "models", "register", "--bundle", trained.Directory).ExitCode); // admins only
        var registered = Cli(app.Api, First, "models", "register", "--bundle", trained.Directory);
        Assert.True(registered.ExitCode == 0, registered.Error);
        Assert.Equal(registered.Out, Cli(app.Api, Second, "models", "register", "--bundle", trained.Directory).Out); // the same bundle again
        string model = registered.Out.Split("version ")[1][..16];
        Assert.DoesNotContain($"* {model}", JisudaiCli.Run("models", "list", "--storage", storage).Out);

        var promoting = Cli(app.Api, First, "models", "promote", model);
        Assert.True(promoting.ExitCode == 0, promoting.Error);
        (string promotion, string promotionDigest) = Proposal(promoting.Out);
        Assert.DoesNotContain($"* {model}", JisudaiCli.Run("models", "list", "--storage", storage).Out);
        Assert.Equal(0, Cli(app.Api, Second, "staff", "approve", promotion, "--digest", promotionDigest).ExitCode);
        Assert.Contains($"* {model}", JisudaiCli.Run("models", "list", "--storage", storage).Out);

        (string back, string backDigest) = Proposal(Cli(app.Api, Second, "models", "rollback").Out);
        Assert.Equal(0, Cli(app.Api, First, "staff", "approve", back, "--digest", backDigest).ExitCode);
        Assert.DoesNotContain($"* {model}", JisudaiCli.Run("models", "list", "--storage", storage).Out);

        var unknown = Cli(app.Api, First, "models", "promote", "0123456789abcdef");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("has no version 0123456789abcdef", unknown.Error);
        var noToken = JisudaiCli.Run("models", "promote", model, "--api", app.Api);
        Assert.Equal(2, noToken.ExitCode);
        Assert.Contains("no token", noToken.Error);
    }
}
