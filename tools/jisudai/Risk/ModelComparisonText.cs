using System.Globalization;
using System.Text;
using System.Text.Json;

namespace JisuDai.Tools.Risk;

/// <summary>The champion/challenger comparison (GET /api/risk/models/{name}/comparison) as a few lines for a terminal.</summary>
static class ModelComparisonText
{
    public static string Of(JsonElement c)
    {
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
        static string Rate(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDouble().ToString("P1", CultureInfo.InvariantCulture) : "unavailable";
        static string Range(JsonElement e) => e.ValueKind == JsonValueKind.Object
            ? string.Create(CultureInfo.InvariantCulture, $"{e.GetProperty("value").GetDouble():F3} (95% {e.GetProperty("lower").GetDouble():F3} to {e.GetProperty("upper").GetDouble():F3})")
            : "unavailable";

        Line($"Model {c.GetProperty("modelName").GetString()}: champion {c.GetProperty("championVersion").GetString()} against challenger {c.GetProperty("challengerVersion").GetString()} on {c.GetProperty("trafficShare").GetDouble():P0} of customers, as of {c.GetProperty("asOf").GetString()}, window {c.GetProperty("window").GetString()}.");
        foreach (string arm in new[] { "champion", "challenger" })
        {
            JsonElement a = c.GetProperty(arm);
            Line($"  {arm,-10}  {a.GetProperty("applications").GetInt32(),6} applications, approved {a.GetProperty("approvalRate").GetDouble():P1}; {a.GetProperty("matured").GetInt32(),5} matured loans, bad {Rate(a.GetProperty("badRate"))}");
        }

        if (c.GetProperty("badRateTest") is { ValueKind: JsonValueKind.Object } test)
        {
            Line($"  bad rates: z = {test.GetProperty("z").GetDouble():F2}, p = {test.GetProperty("pValue").GetDouble():F3}");
        }

        JsonElement auc = c.GetProperty("auc");
        Line($"  {c.GetProperty("pairedLoans").GetInt32()} matured loans scored by both models:");
        Line($"    AUC champion {(auc.ValueKind == JsonValueKind.Object ? Range(auc.GetProperty("a")) : "unavailable")}, challenger {(auc.ValueKind == JsonValueKind.Object ? Range(auc.GetProperty("b")) : "unavailable")}");
        Line($"    AUC difference {(auc.ValueKind == JsonValueKind.Object ? Range(auc.GetProperty("difference")) : "unavailable")}");
        Line($"    KS champion {Range(c.GetProperty("championKs"))}, challenger {Range(c.GetProperty("challengerKs"))}");
        Line($"  PSI of the champion's score between the arms: {(c.GetProperty("armPsi") is { ValueKind: JsonValueKind.Object } psi ? psi.GetProperty("value").GetDouble().ToString("F3", CultureInfo.InvariantCulture) : "unavailable")}");
        if (c.GetProperty("passes").GetBoolean())
        {
            Line($"Guardrails: passed. Promote with 'jisudai models promote {c.GetProperty("challengerVersion").GetString()}' (a second admin approves).");
        }
        else
        {
            Line($"Guardrails: not passed.");
            foreach (JsonElement reason in c.GetProperty("reasons").EnumerateArray())
            {
                Line($"  - {reason.GetString()}");
            }
        }

        return text.ToString().TrimEnd();
    }
}
