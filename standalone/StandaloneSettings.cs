namespace JisuDai.Standalone;

/// <summary>The settings only the standalone host reads (the app's own settings are shared with Functions).</summary>
static class StandaloneSettings
{
    /// <summary>Where local state lives (Azurite's data); default: .data at the repository root.</summary>
    public const string DataDirectory = "JisuDai:DataDirectory";

    /// <summary>Where the pinned Azurite is installed; default: tools/azurite of the repository.</summary>
    public const string AzuriteDirectory = "JisuDai:AzuriteDirectory";

    /// <summary>How long start-up waits for storage to answer before failing; default 10 s.</summary>
    public const string StorageTimeoutSeconds = "JisuDai:StorageStartupTimeoutSeconds";

    /// <summary>Where the payment-provider simulator listens when no provider is configured; default http://127.0.0.1:7072.</summary>
    public const string PaymentSimulatorUrl = "JisuDai:PaymentSimulatorUrl";

    /// <summary>Where the simulator keeps its books; default payment-simulator/book.json in the data folder.</summary>
    public const string PaymentSimulatorState = "JisuDai:PaymentSimulatorState";

    /// <summary>How long the simulator takes to finish a transfer, in milliseconds; default 1000.</summary>
    public const string PaymentSimulatorSettleMs = "JisuDai:PaymentSimulatorSettleMs";

    /// <summary>The repository root: the nearest folder above the app or the working directory with JisuDai.sln.</summary>
    public static string? FindRepositoryRoot() =>
        new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() }
            .Select(start => Ancestors(new DirectoryInfo(start)).FirstOrDefault(d => File.Exists(Path.Combine(d.FullName, "JisuDai.sln"))))
            .FirstOrDefault(d => d is not null)?.FullName;

    static IEnumerable<DirectoryInfo> Ancestors(DirectoryInfo? directory)
    {
        for (; directory is not null; directory = directory.Parent)
        {
            yield return directory;
        }
    }
}
