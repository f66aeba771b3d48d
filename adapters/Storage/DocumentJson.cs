using System.Text.Json;
using System.Text.Json.Serialization;

namespace JisuDai.Adapters.Storage;

/// <summary>The one JSON shape of stored documents in every store: camelCase, enums as names.</summary>
public static class DocumentJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
