using System.Diagnostics;
using System.Text.Json;
using JisuDai.Tests;

namespace JisuDai.Infra.Tests;

/// <summary>
/// Releases without downtime: the staging slot runs no background function and keeps its own task hub, and the azd
/// postdeploy hook swaps only a healthy slot in, swapping back when production is not healthy after it. The hook runs
/// here with stand-ins for <c>curl</c> and <c>az</c> on its PATH that answer as told and record what they were asked.
/// </summary>
public sealed class ReleaseTests
{
    static JsonElement FunctionApp => Bicep.Module("functionApp");

    [Fact]
    public void The_staging_slot_disables_every_timer_and_queue_function_and_keeps_its_hub_and_notify_address_through_a_swap()
    {
        using JsonDocument metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.BuildOutput("functions"), "functions.metadata")));
        var background = metadata.RootElement.EnumerateArray()
            .Where(f => f.GetProperty("bindings").EnumerateArray().Any(b => b.GetProperty("type").GetString() is "timerTrigger" or "queueTrigger"))
            .Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(11, background.Count);
        Assert.Equal(background, FunctionApp.GetProperty("parameters").GetProperty("backgroundFunctions").GetProperty("defaultValue")
            .EnumerateArray().Select(n => n.GetString()!).Order(StringComparer.Ordinal));

        JsonElement slot = FunctionApp.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites/slots");
        Assert.Contains("variables('stagingSettings')", slot.GetRawText());
        string sticky = FunctionApp.GetProperty("variables").GetProperty("stickySettings").GetString()!;
        Assert.Contains("'TaskHubName'", sticky);
        Assert.Contains("'Payments__NotifyUrl'", sticky);
        Assert.Contains("AzureWebJobs.{0}.Disabled", sticky);
        string staging = FunctionApp.GetProperty("variables").GetProperty("stagingSettings").GetString()!;
        Assert.Contains("'JisuDaiStaging'", staging);
        Assert.Contains("AzureWebJobs.{0}.Disabled", staging);
        Assert.Equal("JisuDai", FunctionApp.GetProperty("variables").GetProperty("appSettings").GetProperty("TaskHubName").GetString());
        Assert.Equal("%TaskHubName%", JsonDocument.Parse(File.ReadAllText(Repository.Path("host.json"))).RootElement
            .GetProperty("extensions").GetProperty("durableTask").GetProperty("hubName").GetString());
        Assert.Contains("run: ./infra/hooks/release.sh", File.ReadAllText(Repository.Path("azure.yaml")));
    }

    [Fact]
    public void A_healthy_staging_slot_is_swapped_in_once()
    {
        (int exit, string output, string[] swaps) = Release(staging: ["503", "503", "200"], production: ["200"]);
        Assert.True(exit == 0, output);
        Assert.Equal(["functionapp deployment slot swap --resource-group rg-test --name func-test --slot staging --target-slot production"], swaps);
    }

    [Fact]
    public void A_staging_slot_that_never_gets_healthy_leaves_production_alone()
    {
        (int exit, string output, string[] swaps) = Release(staging: ["503"], production: ["200"]);
        Assert.Equal(1, exit);
        Assert.Contains("production is unchanged", output);
        Assert.Empty(swaps);
    }

    [Fact]
    public void Production_unhealthy_after_the_swap_is_swapped_back()
    {
        (int exit, string output, string[] swaps) = Release(staging: ["200"], production: ["500"]);
        Assert.Equal(1, exit);
        Assert.Contains("swapping back", output);
        Assert.Equal(2, swaps.Length);
    }

    /// <summary>Runs the hook with <c>curl</c> answering the given statuses in turn (the last one from then on) per endpoint.</summary>
    static (int ExitCode, string Output, string[] Swaps) Release(string[] staging, string[] production)
    {
        string folder = Directory.CreateTempSubdirectory("jisudai-release-").FullName;
        try
        {
            File.WriteAllLines(Path.Combine(folder, "staging"), staging);
            File.WriteAllLines(Path.Combine(folder, "production"), production);
            // curl: the last argument is the URL; answer the next status for that endpoint, keeping the last one.
            Script(folder, "curl", $$"""
                #!/usr/bin/env bash
                url="${@: -1}"; case "$url" in *-staging.*) f="{{folder}}/staging" ;; *) f="{{folder}}/production" ;; esac
                status="$(head -n1 "$f")"; [ "$(wc -l < "$f")" -gt 1 ] && sed -i 1d "$f"; printf '%s' "$status"
                """);
            Script(folder, "az", $$"""
                #!/usr/bin/env bash
                echo "$*" >> "{{folder}}/az.log"
                """);
            var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Repository.Path("infra", "hooks", "release.sh"));
            start.Environment["PATH"] = $"{folder}:{Environment.GetEnvironmentVariable("PATH")}";
            start.Environment["AZURE_RESOURCE_GROUP"] = "rg-test";
            start.Environment["AZURE_FUNCTION_APP_NAME"] = "func-test";
            start.Environment["SERVICE_API_ENDPOINT"] = "https://func-test.azurewebsites.net";
            start.Environment["SERVICE_API_STAGING_ENDPOINT"] = "https://func-test-staging.azurewebsites.net";
            start.Environment["JISUDAI_RELEASE_TIMEOUT_SECONDS"] = "2";
            start.Environment["JISUDAI_RELEASE_POLL_SECONDS"] = "0.2";
            using Process process = Process.Start(start)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(30_000), "the hook did not finish");
            string log = Path.Combine(folder, "az.log");
            return (process.ExitCode, stdout.Result + stderr.Result, File.Exists(log) ? File.ReadAllLines(log) : []);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    static void Script(string folder, string name, string text)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, text.ReplaceLineEndings("\n") + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
