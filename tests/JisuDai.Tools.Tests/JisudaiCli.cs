using System.Diagnostics;
using JisuDai.App.Results;

namespace JisuDai.Tools.Tests;

/// <summary>Runs the built <c>jisudai</c> as a user does, capturing its exit code and output.</summary>
static class JisudaiCli
{
    public static (int ExitCode, string Out, string Error) Run(params string[] arguments) => RunIn(null, arguments);

    /// <summary>Runs it in <paramref name="workingDirectory"/> (where it looks for a local host's <c>.data</c>).</summary>
    public static (int ExitCode, string Out, string Error) RunIn(string? workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "jisudai.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("AzureWebJobsStorage");
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
