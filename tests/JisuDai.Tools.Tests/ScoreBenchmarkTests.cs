using System.Text.Json;

namespace JisuDai.Tools.Tests;

/// <summary><c>jisudai bench score</c> prints one JSON object with the figures docs/benchmarks.md records.</summary>
public sealed class ScoreBenchmarkTests
{
    [Fact]
    public void The_score_benchmark_prints_latency_throughput_and_load_figures_as_one_JSON_object()
    {
        (int exitCode, string output, string error) = JisudaiCli.Run("bench", "score", "--samples", "1000");

        Assert.True(exitCode == 0, error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.Equal("credit-risk", root.GetProperty("model").GetProperty("name").GetString());
        JsonElement one = root.GetProperty("scoreOne");
        Assert.Equal(1000, one.GetProperty("samples").GetInt32());
        Assert.True(one.GetProperty("p50Microseconds").GetDouble() > 0);
        Assert.True(one.GetProperty("p99Microseconds").GetDouble() >= one.GetProperty("p50Microseconds").GetDouble());
        // Beside its figures, the same-run baseline: the bare ML.NET engine call, which our scoring can only add to.
        Assert.True(root.GetProperty("baseline").GetProperty("p50Microseconds").GetDouble() > 0);
        Assert.True(one.GetProperty("p50OverBaselineP50").GetDouble() >= 1);
        Assert.True(root.GetProperty("batch").GetProperty("medianRowsPerSecond").GetDouble() > 0);
        Assert.True(root.GetProperty("modelLoad").GetProperty("firstInProcessMilliseconds").GetDouble() > 0);
        Assert.Contains("Training the default model", error);
    }
}
