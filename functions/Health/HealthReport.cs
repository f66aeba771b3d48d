namespace JisuDai.Functions.Health;

/// <summary>One dependency's state.</summary>
public sealed record HealthCheck(string Name, bool Healthy, long DurationMs, string Detail);

/// <summary>The app's state: healthy only when every dependency is.</summary>
public sealed record HealthReport(string Status, IReadOnlyList<HealthCheck> Checks)
{
    public static HealthReport Of(IReadOnlyList<HealthCheck> checks) =>
        new(checks.All(c => c.Healthy) ? "Healthy" : "Unhealthy", checks);

    [System.Text.Json.Serialization.JsonIgnore]
    public bool Healthy => Status == "Healthy";
}
