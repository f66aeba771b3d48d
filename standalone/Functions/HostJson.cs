using System.Globalization;

namespace JisuDai.Standalone.Functions;

/// <summary>
/// The settings of host.json that the standalone host honours, so both hosts read one file: the route prefix,
/// the task hub (its polling and queue visibility timeouts), and the queue trigger's polling, visibility timeout, batch size and poison threshold. As in
/// Azure Functions, an app setting <c>AzureFunctionsJobHost__path__to__key</c> overrides the file.
/// </summary>
sealed record HostJson(
    string RoutePrefix,
    string HubName,
    TimeSpan MaxQueuePollingInterval,
    TimeSpan ControlQueueVisibilityTimeout,
    TimeSpan WorkItemQueueVisibilityTimeout,
    QueueTriggerSettings Queues)
{
    public static HostJson Load(string path, IConfiguration appSettings)
    {
        IConfiguration file = new ConfigurationBuilder().AddJsonFile(path, optional: false).Build();
        string? Get(string key) => Resolve(appSettings[$"AzureFunctionsJobHost:{key}"] ?? file[key], appSettings);
        TimeSpan Span(string key, TimeSpan fallback) => Get(key) is { } text ? TimeSpan.Parse(text, CultureInfo.InvariantCulture) : fallback;
        int Int(string key, int fallback) => Get(key) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

        return new HostJson(
            RoutePrefix: Get("extensions:http:routePrefix") ?? "api",
            HubName: Get("extensions:durableTask:hubName") ?? "JisuDai",
            MaxQueuePollingInterval: Span("extensions:durableTask:storageProvider:maxQueuePollingInterval", TimeSpan.FromSeconds(30)),
            // How long a message taken by a worker that then dies stays hidden before another worker gets it.
            ControlQueueVisibilityTimeout: Span("extensions:durableTask:storageProvider:controlQueueVisibilityTimeout", TimeSpan.FromMinutes(5)),
            WorkItemQueueVisibilityTimeout: Span("extensions:durableTask:storageProvider:workItemQueueVisibilityTimeout", TimeSpan.FromMinutes(5)),
            Queues: new QueueTriggerSettings(
                MaxPollingInterval: Span("extensions:queues:maxPollingInterval", TimeSpan.FromMinutes(1)),
                VisibilityTimeout: Span("extensions:queues:visibilityTimeout", TimeSpan.Zero),
                BatchSize: Int("extensions:queues:batchSize", 16),
                MaxDequeueCount: Int("extensions:queues:maxDequeueCount", 5)));
    }

    /// <summary>A value written <c>%Setting%</c> is that app setting's, as the Functions host reads it; unset, the host cannot start.</summary>
    static string? Resolve(string? value, IConfiguration appSettings) =>
        value is ['%', .. var name, '%'] && name.Length > 0
            ? appSettings[name] is { Length: > 0 } set ? set : throw new App.Configuration.ConfigurationException(name, $"is required: host.json reads it as %{name}%.")
            : value;
}

/// <summary>The queue trigger's behaviour, with the Functions defaults where host.json is silent.</summary>
sealed record QueueTriggerSettings(TimeSpan MaxPollingInterval, TimeSpan VisibilityTimeout, int BatchSize, int MaxDequeueCount);
