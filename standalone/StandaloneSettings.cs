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
