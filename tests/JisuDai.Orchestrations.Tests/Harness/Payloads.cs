using System.Text.Json;

namespace JisuDai.Orchestrations.Tests.Harness;

/// <summary>How payloads sit in DurableTask.Core's actions and events.</summary>
static class Payloads
{
    /// <summary>
    /// DurableTask.Core serializes an activity's parameters as a JSON array; the Microsoft.DurableTask activity shim
    /// takes its one element as the activity's input. This returns that element's JSON.
    /// </summary>
    public static string? ActivityInput(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return raw;
        }

        using JsonDocument document = JsonDocument.Parse(raw);
        return document.RootElement is { ValueKind: JsonValueKind.Array } parameters && parameters.GetArrayLength() == 1
            ? parameters[0].GetRawText()
            : raw;
    }
}
