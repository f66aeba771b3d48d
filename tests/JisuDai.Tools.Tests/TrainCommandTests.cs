using System.Text.Json;
using JisuDai.App.Results;
using JisuDai.Tests;

namespace JisuDai.Tools.Tests;

/// <summary>One <c>jisudai train</c> run on the bundled German Credit data, shared by the tests that read its output.</summary>
public sealed class TrainedBundle : IDisposable
{
    public TrainedBundle()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"jisudai-train-{Guid.NewGuid():N}");
        Result = JisudaiCli.Run("train", "--data", Repository.Path("risk", "Defaults", "credit-g.arff"), "--label", "class", "--bad", "bad",
            "--ignore", "personal_status,foreign_worker", "--folds", "3", "--spec", Repository.Path("risk", "Defaults", "credit-g.spec.json"),
            "--name", "credit-risk", "--out", Directory);
    }

    public string Directory { get; }

    public (int ExitCode, string Out, string Error) Result { get; }

    public string Path(string file) => System.IO.Path.Combine(Directory, file);

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>The <c>jisudai train</c> command.</summary>
public sealed class TrainCommandTests(TrainedBundle trained) : IClassFixture<TrainedBundle>
{
    [Fact]
    public void Training_writes_the_bundle_a_report_json_of_the_documented_shape_the_charts_and_the_page()
    {
        Assert.True(trained.Result.ExitCode == 0, trained.Result.Error);
        foreach (string file in new[] { "model.json", "trees.zip", "report.json", "roc.png", "ks.png", "scores.png", "report.html" })
        {
            Assert.True(File.Exists(trained.Path(file)), $"{file} was not written");
        }

        using JsonDocument report = JsonDocument.Parse(File.ReadAllBytes(trained.Path("report.json")));
        JsonElement root = report.RootElement;
        string champion = root.GetProperty("champion").GetString()!;
        JsonElement[] candidates = root.GetProperty("candidates").EnumerateArray().ToArray();
        Assert.Equal(["scorecard", "boosted-trees", "blend"], candidates.Select(c => c.GetProperty("name").GetString()));
        Assert.Contains(champion, candidates.Select(c => c.GetProperty("name").GetString()));
        foreach (JsonElement candidate in candidates)
        {
            foreach (string metric in new[] { "auc", "ks", "gini", "brier" })
            {
                Assert.InRange(candidate.GetProperty(metric).GetProperty("mean").GetDouble(), 0, 1);
                Assert.InRange(candidate.GetProperty(metric).GetProperty("std").GetDouble(), 0, 1);
            }
        }

        JsonElement[] features = root.GetProperty("features").EnumerateArray().ToArray();
        Assert.Equal(18, features.Length);
        Assert.All(features, f => { f.GetProperty("name").GetString(); f.GetProperty("iv").GetDouble(); f.GetProperty("selected").GetBoolean(); });
        Assert.Contains(features, f => f.GetProperty("name").GetString() == "checking_status" && f.GetProperty("selected").GetBoolean());

        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G'];
        Assert.All(new[] { "roc.png", "ks.png", "scores.png" }, f => Assert.Equal(png, File.ReadAllBytes(trained.Path(f))[..4]));
        string html = File.ReadAllText(trained.Path("report.html"));
        Assert.Equal(3, html.Split("data:image/png;base64,").Length - 1);
        Assert.Contains("checking_status", html);
    }

    [Fact]
    public void Training_prints_progress_and_the_candidates_with_the_champion_marked()
    {
        Assert.Contains("progress ", trained.Result.Error);
        Assert.Contains("/77: ", trained.Result.Error);
        Assert.Matches(@"\* \w[\w-]+ +AUC 0\.\d{4}", trained.Result.Out);
        Assert.Contains("bundle credit-risk version ", trained.Result.Out);
    }

    [Theory]
    [InlineData("id,income,outcome\n1,100,good\n2,200\n", "loans.csv, line 3: expected 3 fields but found 2.")]
    [InlineData("id,income,outcome\n1,100,good\n2,200,good\n", "only one class")]
    [InlineData("id,income,notes,outcome\n1,100,,good\n2,200,,bad\n", "column 'notes' has no values in any row")]
    [InlineData("id,income,result\n1,100,good\n2,200,bad\n", "there is no column 'outcome' (from --label)")]
    public void Bad_data_exits_2_with_a_clear_message_and_writes_nothing(string csv, string message)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"jisudai-bad-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        string data = Path.Combine(directory, "loans.csv");
        File.WriteAllText(data, csv);
        string output = Path.Combine(directory, "out");
        try
        {
            (int exitCode, string stdout, string error) = JisudaiCli.Run("train", "--data", data, "--label", "outcome", "--bad", "bad", "--ignore", "id", "--out", output);

            Assert.Equal(2, exitCode);
            Assert.Contains(message, error);
            Assert.Empty(stdout);
            Assert.False(Directory.Exists(output));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "train", "--out", "x" }, "give --data, --label and --bad (or --from-platform)")]
    [InlineData(new[] { "train", "--from-platform", "--data", "loans.csv", "--out", "x" }, "leave out --data")]
    [InlineData(new[] { "train", "--from-platform", "--window", "ever30in2", "--out", "x" }, "--window must be one of fpd, ever30in3")]
    [InlineData(new[] { "train", "--data", "loans.csv", "--label", "outcome", "--bad", "bad", "--nested-folds", "1", "--out", "x" }, "--nested-folds must be 0 (none) or at least 2")]
    public void Training_needs_a_file_with_its_label_or_the_platform_with_a_known_window(string[] arguments, string message)
    {
        (int exitCode, string stdout, string error) = JisudaiCli.Run(arguments);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, error);
        Assert.Empty(stdout);
    }
}
