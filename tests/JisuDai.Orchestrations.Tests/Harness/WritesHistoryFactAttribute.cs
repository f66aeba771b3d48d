namespace JisuDai.Orchestrations.Tests.Harness;

/// <summary>
/// A test that (re)writes a stored history fixture into the source tree. Skipped unless
/// <c>JISUDAI_WRITE_HISTORIES=1</c>: a committed fixture stands for instances already in flight, so it is written
/// once, when a new one is wanted, and never rewritten to make a replay test pass. Run:
/// <c>JISUDAI_WRITE_HISTORIES=1 dotnet test tests/JisuDai.Orchestrations.Tests -c Release --filter "Category=WritesHistory"</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class WritesHistoryFactAttribute : FactAttribute
{
    /// <summary>The variable that lets the fixture writers run.</summary>
    public const string Variable = "JISUDAI_WRITE_HISTORIES";

    public WritesHistoryFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"Writes a stored history into the source tree; set {Variable}=1 to run it.";
        }
    }
}
