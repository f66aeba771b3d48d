using System.Text.Json;
using JisuDai.Lending;

namespace JisuDai.App.Risk;

/// <summary>
/// A JSON object of application fields as the text the feature mapping reads: numbers as written, true/false, null;
/// with an error for each field that is not a scalar (the other fields are still read, so every error is reported at once).
/// </summary>
public sealed record ApplicationFields(IReadOnlyDictionary<string, string?> Values, IReadOnlyList<DomainError> Errors)
{
    public static ApplicationFields From(JsonElement body)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        var errors = new List<DomainError>();
        foreach (JsonProperty property in body.EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String:
                    values[property.Name] = property.Value.GetString();
                    break;
                case JsonValueKind.Number:
                    values[property.Name] = property.Value.GetRawText();
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    values[property.Name] = property.Value.GetBoolean() ? "true" : "false";
                    break;
                case JsonValueKind.Null:
                    values[property.Name] = null;
                    break;
                default:
                    errors.Add(new DomainError(property.Name, "scalar", $"'{property.Name}' must be a string, number, boolean or null."));
                    break;
            }
        }

        return new ApplicationFields(values, errors);
    }
}
