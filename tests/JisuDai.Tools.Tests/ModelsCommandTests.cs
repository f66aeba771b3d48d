using JisuDai.App.Results;
using JisuDai.Tests;

namespace JisuDai.Tools.Tests;

/// <summary><c>jisudai models</c> against Blob storage on Azurite, with a bundle <c>jisudai train</c> wrote.</summary>
public sealed class ModelsCommandTests(TrainedBundle trained, AzuriteFixture azurite) : IClassFixture<TrainedBundle>, IClassFixture<AzuriteFixture>
{
    (int ExitCode, string Out, string Error) Models(params string[] arguments) =>
        JisudaiCli.Run(["models", .. arguments, "--storage", azurite.Server.ConnectionString]);

    [Fact]
    public void Register_list_promote_and_rollback_work_from_the_command_line()
    {
        Assert.True(trained.Result.ExitCode == 0, trained.Result.Error);
        string name = $"cli{Guid.NewGuid():N}"[..16];

        Assert.Contains($"No versions of {name} are registered.", Models("list", "--name", name).Out);
        var (_, before, _) = Models("list");
        Assert.DoesNotContain("*", before);

        // The bundle's name (credit-risk) is part of its hashed manifest; this class's own Azurite starts with none of it.
        var registered = Models("register", "--bundle", trained.Directory);
        Assert.True(registered.ExitCode == 0, registered.Error);
        string version = registered.Out.Split("version ")[1][..16];
        Assert.Equal(registered.Out, Models("register", "--bundle", trained.Directory).Out);

        var listed = Models("list");
        Assert.Contains($"  {version}", listed.Out);
        Assert.DoesNotContain($"* {version}", listed.Out);

        var promoted = Models("promote", version);
        Assert.Equal(0, promoted.ExitCode);
        Assert.Contains($"champion is now {version}", promoted.Out);
        Assert.Contains($"* {version}", Models("list").Out);

        var rollback = Models("rollback");
        Assert.Equal(2, rollback.ExitCode);
        Assert.Contains("no earlier champion", rollback.Error);

        var unknown = Models("promote", "0123456789abcdef");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("has no version 0123456789abcdef", unknown.Error);
        Assert.Contains($"* {version}", Models("list").Out);
    }

    [Fact]
    public void Without_any_storage_the_command_says_how_to_give_it()
    {
        (int exitCode, _, string error) = JisudaiCli.Run("models", "list");

        Assert.Equal(2, exitCode);
        Assert.Contains("no storage. Pass --storage, set AzureWebJobsStorage, or start the local host", error);
    }
}
