using System.Text.Json;
using System.Text.RegularExpressions;
using JisuDai.Functions;
using JisuDai.Orchestrations;
using JisuDai.Standalone.Functions;
using JisuDai.Tests;

namespace JisuDai.Standalone.Tests;

/// <summary>
/// Keeps the two hosts honest: what the Functions build declares in functions.metadata is what the
/// standalone host serves, and every durable task an orchestrator calls has a Functions wrapper.
/// </summary>
public sealed partial class HostParityTests
{
    static readonly JsonElement[] Metadata = LoadMetadata();

    static JsonElement[] LoadMetadata()
    {
        string path = Path.Combine(Repository.BuildOutput("functions"), "functions.metadata");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }

    static IEnumerable<(string Function, JsonElement Binding)> Triggers(string type) =>
        Metadata.SelectMany(f => f.GetProperty("bindings").EnumerateArray()
            .Where(b => b.GetProperty("type").GetString() == type)
            .Select(b => (f.GetProperty("name").GetString()!, b)));

    static readonly FunctionCatalog Standalone = FunctionCatalog.Load();

    [Fact]
    public void Http_routes_and_methods_are_the_same_in_both_hosts()
    {
        var declared = Triggers("httpTrigger")
            .Select(t => $"{t.Function} {string.Join(",", t.Binding.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order())} {t.Binding.GetProperty("route").GetString()}")
            .Order().ToList();
        var served = Standalone.Http
            .Select(h => $"{h.Name} {string.Join(",", h.Verbs.Select(v => v.ToUpperInvariant()).Order())} {h.Route}")
            .Order().ToList();

        Assert.NotEmpty(declared);
        Assert.Contains(declared, d => d.EndsWith(" health", StringComparison.Ordinal));
        Assert.Equal(declared, served);
    }

    [Fact]
    public void Every_http_function_is_anonymous_to_the_Functions_host_and_checks_a_bearer_token_itself()
    {
        // A keyed level would make apps carry Functions keys in Azure and would mean nothing in the standalone host.
        var keyed = Triggers("httpTrigger").Where(t => t.Binding.GetProperty("authLevel").GetString() != "Anonymous").Select(t => t.Function).ToList();
        Assert.Empty(keyed);
        Assert.Contains(Standalone.Http, h => h.Route == "rules");
    }

    [Fact]
    public void Timer_schedules_are_the_same_in_both_hosts()
    {
        var declared = Triggers("timerTrigger").Select(t => $"{t.Function} {t.Binding.GetProperty("schedule").GetString()}").Order();
        var served = Standalone.Timers.Select(t => $"{t.Name} {t.Schedule}").Order();

        Assert.Equal(declared, served);
    }

    [Fact]
    public void Queue_names_are_the_same_in_both_hosts()
    {
        var declared = Triggers("queueTrigger").Select(t => $"{t.Function} {t.Binding.GetProperty("queueName").GetString()}").Order();
        var served = Standalone.Queues.Select(q => $"{q.Name} {q.QueueName}").Order();

        Assert.Equal(declared, served);
    }

    [Fact]
    public void Every_registered_orchestrator_and_activity_has_a_Functions_wrapper_of_the_same_name()
    {
        Assert.Equal(DurableTasks.Orchestrators.Select(t => t.Name).Order(), Triggers("orchestrationTrigger").Select(t => t.Function).Order());
        Assert.Equal(DurableTasks.Activities.Select(t => t.Name).Order(), Triggers("activityTrigger").Select(t => t.Function).Order());
    }

    [Fact]
    public void Every_activity_an_orchestrator_calls_has_a_Functions_wrapper()
    {
        var wrappers = Triggers("activityTrigger").Select(t => t.Function).ToHashSet();
        var called = Directory.EnumerateFiles(Repository.Path("orchestrations"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => ActivityCall().Matches(File.ReadAllText(f)))
            .Select(m => m.Groups["nameof"].Success ? m.Groups["nameof"].Value : m.Groups["literal"].Value)
            .ToHashSet();

        Assert.NotEmpty(called);
        Assert.Empty(called.Except(wrappers));
    }

    [GeneratedRegex("""CallActivityAsync(<[^>]+>)?\(\s*(nameof\((?<nameof>\w+)\)|"(?<literal>[^"]+)")""")]
    private static partial Regex ActivityCall();
}
