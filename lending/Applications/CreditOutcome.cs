using System.Text.Json;
using System.Text.Json.Serialization;

namespace JisuDai.Lending.Applications;

/// <summary>
/// What a credit decision concludes, least severe first. The decision engine, the decision records and the approval
/// orchestration share this one type; in JSON it reads and writes as <c>approve</c>, <c>review</c> or <c>decline</c>, and
/// anything else fails to read, so an unknown outcome is an error rather than quietly treated as one of these.
/// </summary>
[JsonConverter(typeof(CreditOutcomeJson))]
public enum CreditOutcome
{
    /// <summary>Approve automatically: an offer is made.</summary>
    Approve,
    /// <summary>Send to a reviewer.</summary>
    Review,
    /// <summary>Decline.</summary>
    Decline,
}

/// <summary>The names and severity order of <see cref="CreditOutcome"/>.</summary>
public static class CreditOutcomes
{
    /// <summary>Every outcome, least severe first.</summary>
    public static IReadOnlyList<CreditOutcome> All { get; } = [CreditOutcome.Approve, CreditOutcome.Review, CreditOutcome.Decline];

    /// <summary>The outcome's name in rule sets and records: approve, review or decline.</summary>
    public static string Name(this CreditOutcome outcome) => outcome switch
    {
        CreditOutcome.Approve => "approve",
        CreditOutcome.Review => "review",
        CreditOutcome.Decline => "decline",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown credit outcome."),
    };

    /// <summary>The outcome named <paramref name="name"/> (exactly approve, review or decline), or false.</summary>
    public static bool TryParse(string? name, out CreditOutcome outcome)
    {
        foreach (CreditOutcome known in All)
        {
            if (name == known.Name())
            {
                outcome = known;
                return true;
            }
        }

        outcome = default;
        return false;
    }

    /// <summary>The outcome named <paramref name="name"/>; anything else throws.</summary>
    public static CreditOutcome Parse(string name) =>
        TryParse(name, out CreditOutcome outcome) ? outcome : throw new FormatException($"'{name}' is not a credit outcome (approve, review or decline).");

    /// <summary>The more severe of two outcomes.</summary>
    public static CreditOutcome Worse(CreditOutcome a, CreditOutcome b) => a >= b ? a : b;
}

/// <summary>Reads and writes <see cref="CreditOutcome"/> by its name only (no numbers, no other spelling).</summary>
public sealed class CreditOutcomeJson : JsonConverter<CreditOutcome>
{
    /// <inheritdoc />
    public override CreditOutcome Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && CreditOutcomes.TryParse(reader.GetString(), out CreditOutcome outcome)
            ? outcome
            : throw new JsonException($"A credit outcome must be \"approve\", \"review\" or \"decline\"; got {(reader.TokenType == JsonTokenType.String ? $"\"{reader.GetString()}\"" : reader.TokenType.ToString())}.");

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, CreditOutcome value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name());
}
