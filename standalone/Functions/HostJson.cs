using System.Text.Json;

namespace JisuDai.Standalone.Functions;

/// <summary>
/// The settings of host.json that the standalone host honours, so both hosts read one file: the route prefix,
/// the task hub, and the queue trigger's polling, visibility timeout, batch size and poison threshold.
/// </summary>
sealed record HostJson(
    string RoutePrefix,
    string HubName,
    TimeSpan MaxQueuePollingInterval,
    QueueTriggerSettings Queues)
{
    public static HostJson Load(string path)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        JsonElement extensions = document.RootElement.TryGetProperty("extensions", out JsonElement e) ? e : default;

        string routePrefix = Read(extensions, "http", "routePrefix")?.GetString() ?? "api";
        JsonElement? durable = Read(extensions, "durableTask");
        string hub = durable is { } d && d.TryGetProperty("hubName", out JsonElement h) ? h.GetString()! : "JisuDai";
        TimeSpan durablePolling = ReadSpan(Read(extensions, "durableTask", "storageProvider", "maxQueuePollingInterval"), TimeSpan.FromSeconds(30));

        var queues = new QueueTriggerSettings(
            MaxPollingInterval: ReadSpan(Read(extensions, "queues", "maxPollingInterval"), TimeSpan.FromMinutes(1)),
            VisibilityTimeout: ReadSpan(Read(extensions, "queues", "visibilityTimeout"), TimeSpan.Zero),
            BatchSize: Read(extensions, "queues", "batchSize")?.GetInt32() ?? 16,
            MaxDequeueCount: Read(extensions, "queues", "maxDequeueCount")?.GetInt32() ?? 5);
        return new HostJson(routePrefix, hub, durablePolling, queues);
    }

    static JsonElement? Read(JsonElement element, params string[] path)
    {
        foreach (string name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element;
    }

    static TimeSpan ReadSpan(JsonElement? element, TimeSpan fallback) =>
        element?.GetString() is { } text ? TimeSpan.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : fallback;
}

/// <summary>The queue trigger's behaviour, with the Functions defaults where host.json is silent.</summary>
sealed record QueueTriggerSettings(TimeSpan MaxPollingInterval, TimeSpan VisibilityTimeout, int BatchSize, int MaxDequeueCount);
