using System.Text.Json;
using System.Text.Json.Serialization;
using JisuDai.Lending.Applications;

namespace JisuDai.Adapters.Storage;

/// <summary>The one JSON shape of stored documents in every store: camelCase, enums as names.</summary>
public static class DocumentJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        // Outcomes keep their own names (approve, review, decline); a general enum converter here would override the type's own.
        Converters = { new CreditOutcomeJson(), new JsonStringEnumConverter() },
    };
}
