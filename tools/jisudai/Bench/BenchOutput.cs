using System.Text.Json;

namespace JisuDai.Tools.Bench;

/// <summary>What every benchmark prints alongside its figures, and how: one indented JSON object.</summary>
static class BenchOutput
{
    public static object Machine => new { Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription, dotnet = Environment.Version.ToString() };

    public static string Json(object figures) => JsonSerializer.Serialize(figures, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });

    public static double Percentile(double[] sorted, double p) => Math.Round(sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))], 2);
}

/// <summary>A latency distribution in microseconds as the in-process benchmarks print it, with its tail and, beside a baseline, its ratio to it.</summary>
sealed record Latency(string What, int Samples, double P50Microseconds, double P99Microseconds, double P999Microseconds, double P99OverP50, double? P50OverBaselineP50)
{
    /// <summary>The figures of <paramref name="sorted"/> (microseconds, ascending), and their p50 over <paramref name="baseline"/>'s when given.</summary>
    public static Latency Of(string what, double[] sorted, Latency? baseline = null)
    {
        double p50 = BenchOutput.Percentile(sorted, 0.50), p99 = BenchOutput.Percentile(sorted, 0.99);
        return new Latency(what, sorted.Length, p50, p99, BenchOutput.Percentile(sorted, 0.999), Math.Round(p99 / p50, 2),
            baseline is null ? null : Math.Round(p50 / baseline.P50Microseconds, 2));
    }
}
