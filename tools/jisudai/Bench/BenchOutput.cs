using System.Text.Json;

namespace JisuDai.Tools.Bench;

/// <summary>What every benchmark prints alongside its figures, and how: one indented JSON object.</summary>
static class BenchOutput
{
    public static object Machine => new { Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription, dotnet = Environment.Version.ToString() };

    public static string Json(object figures) => JsonSerializer.Serialize(figures, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });

    public static double Percentile(double[] sorted, double p) => Math.Round(sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))], 2);
}
