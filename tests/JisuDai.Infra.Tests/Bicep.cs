using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using JisuDai.App.Results;
using JisuDai.Tests;

namespace JisuDai.Infra.Tests;

/// <summary>The Bicep CLI from the Azure.Bicep.CommandLine NuGet package.</summary>
static class Bicep
{
    static readonly string Executable = typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BicepPath").Value!.Replace('\\', '/');

    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        // NuGet does not keep the executable bit when it extracts the package (the package is linux-x64).
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Executable, File.GetUnixFileMode(Executable) | UnixFileMode.UserExecute);
        }
        var start = new ProcessStartInfo(Executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>infra/main.bicep compiled to its ARM template.</summary>
    public static JsonElement MainTemplate { get; } = Build();

    static JsonElement Build()
    {
        (int exitCode, string output) = Run("build", Repository.Path("infra", "main.bicep"), "--stdout");
        Assert.True(exitCode == 0, output);
        using JsonDocument document = JsonDocument.Parse(output[output.IndexOf('{')..]);
        return document.RootElement.Clone();
    }

    /// <summary>The template of one module of main.bicep.</summary>
    public static JsonElement Module(string name) =>
        MainTemplate.GetProperty("resources").GetProperty(name).GetProperty("properties").GetProperty("template");
}
