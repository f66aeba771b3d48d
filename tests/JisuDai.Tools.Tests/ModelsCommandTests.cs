namespace JisuDai.Tools.Tests;

/// <summary><c>jisudai models</c> with nothing to reach (registering and promoting are in FourEyesCommandTests).</summary>
public sealed class ModelsCommandTests
{
    [Fact]
    public void Without_any_storage_the_command_says_how_to_give_it()
    {
        (int exitCode, _, string error) = JisudaiCli.Run("models", "list");

        Assert.Equal(2, exitCode);
        Assert.Contains("no storage. Pass --storage, set AzureWebJobsStorage, or start the local host", error);
    }
}
