using System.Globalization;
using JisuDai.Lending.Payments;

namespace JisuDai.Adapters.Payments.WeChatPay;

/// <summary>
/// Reads the settlement statement file: a header, one line per movement with every field behind a backtick (as WeChat
/// Pay writes its bills, so a spreadsheet keeps long numbers as text), then the count and total, which must agree
/// with the lines.
/// </summary>
public static class StatementLines
{
    public static IReadOnlyList<SettlementLine> Parse(string file)
    {
        string[] rows = file.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var lines = new List<SettlementLine>(Math.Max(rows.Length - 3, 0));
        int summary = Array.FindIndex(rows, r => r.StartsWith("总笔数", StringComparison.Ordinal));
        if (rows.Length < 2 || summary < 1 || summary + 1 >= rows.Length)
        {
            throw new FormatException("The statement has no header or no count and total.");
        }

        for (int i = 1; i < summary; i++)
        {
            string[] f = Fields(rows[i], 6, i);
            DateTime at = DateTime.ParseExact(f[0], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            MovementKind kind = f[1] switch
            {
                "PAYMENT" => MovementKind.Payment,
                "TRANSFER" => MovementKind.Payout,
                "REFUND" => MovementKind.Refund,
                _ => throw new FormatException($"Line {i + 1} of the statement is of an unknown type {f[1]}."),
            };
            lines.Add(new SettlementLine(kind, f[2], f[3], decimal.Parse(f[5], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture), DateOnly.FromDateTime(at)));
        }

        string[] totals = Fields(rows[summary + 1], 2, summary + 1);
        if (int.Parse(totals[0], CultureInfo.InvariantCulture) != lines.Count || decimal.Parse(totals[1], CultureInfo.InvariantCulture) != lines.Sum(l => l.Amount))
        {
            throw new FormatException($"The statement's count and total ({totals[0]}, {totals[1]}) do not add up to its {lines.Count} lines.");
        }

        return lines;
    }

    static string[] Fields(string row, int count, int index)
    {
        string[] fields = row.Split(',').Select(f => f.TrimStart('`')).ToArray();
        return fields.Length == count ? fields : throw new FormatException($"Line {index + 1} of the statement has {fields.Length} fields, not {count}.");
    }
}
