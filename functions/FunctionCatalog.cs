using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions;

/// <summary>An HTTP-triggered function: its methods and route, as the Functions build declares them.</summary>
public sealed record HttpFunction(string Name, MethodInfo Method, IReadOnlyList<string> Verbs, string Route);

/// <summary>A timer-triggered function and its CRON schedule (possibly a %setting% reference).</summary>
public sealed record TimerFunction(string Name, MethodInfo Method, string Schedule);

/// <summary>A queue-triggered function and its queue.</summary>
public sealed record QueueFunction(string Name, MethodInfo Method, string QueueName);

/// <summary>
/// The functions of the Functions app, read from the same attributes the Functions SDK reads to write
/// functions.metadata: the standalone host serves exactly what Azure would (a test compares the two), the OpenAPI
/// document describes exactly those routes, and telemetry watches exactly those queues' poison queues. The one place
/// the triggers are read.
/// </summary>
public sealed record FunctionCatalog(
    IReadOnlyList<HttpFunction> Http,
    IReadOnlyList<TimerFunction> Timers,
    IReadOnlyList<QueueFunction> Queues,
    IReadOnlyList<string> Orchestrators,
    IReadOnlyList<string> Activities)
{
    static readonly Lazy<FunctionCatalog> App = new(() => Load(typeof(FunctionsProgram).Assembly));

    /// <summary>The Functions app's catalogue, read once.</summary>
    public static FunctionCatalog Load() => App.Value;

    public static FunctionCatalog Load(Assembly assembly)
    {
        var http = new List<HttpFunction>();
        var timers = new List<TimerFunction>();
        var queues = new List<QueueFunction>();
        var orchestrators = new List<string>();
        var activities = new List<string>();

        foreach (MethodInfo method in assembly.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)))
        {
            if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
            {
                continue;
            }

            foreach (ParameterInfo parameter in method.GetParameters())
            {
                if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is { } httpTrigger)
                {
                    // This host has no Functions keys to check, so a keyed level would be a promise it does not keep;
                    // every function authenticates its caller's bearer token itself, the same in both hosts.
                    if (httpTrigger.AuthLevel != AuthorizationLevel.Anonymous)
                    {
                        throw new InvalidOperationException($"{function.Name} is at the {httpTrigger.AuthLevel} level: every HTTP function is Anonymous and checks a bearer token itself.");
                    }

                    http.Add(new HttpFunction(function.Name, method, httpTrigger.Methods ?? ["get", "post"], httpTrigger.Route ?? function.Name));
                }
                else if (parameter.GetCustomAttribute<TimerTriggerAttribute>() is { } timerTrigger)
                {
                    timers.Add(new TimerFunction(function.Name, method, timerTrigger.Schedule));
                }
                else if (parameter.GetCustomAttribute<QueueTriggerAttribute>() is { } queueTrigger)
                {
                    queues.Add(new QueueFunction(function.Name, method, queueTrigger.QueueName));
                }
                else if (parameter.GetCustomAttribute<OrchestrationTriggerAttribute>() is not null)
                {
                    orchestrators.Add(function.Name);
                }
                else if (parameter.GetCustomAttribute<ActivityTriggerAttribute>() is not null)
                {
                    activities.Add(function.Name);
                }
            }
        }

        return new FunctionCatalog([.. http.OrderBy(f => f.Name, StringComparer.Ordinal)], timers, queues, orchestrators, activities);
    }
}
