using System.Globalization;
using JisuDai.Risk.Data;
using JisuDai.Risk.Models;

namespace JisuDai.Risk.Training;

/// <summary>One labelled, point-in-time row from the platform: what the model read when it decided, and what the loan did.</summary>
/// <param name="DecidedAt">When the decision was made.</param>
/// <param name="Inputs">The model inputs as recorded on the decision (input name to value).</param>
/// <param name="Bad">The final label of the window trained on.</param>
public sealed record PlatformRow(DateTimeOffset DecidedAt, IReadOnlyDictionary<string, string?> Inputs, bool Bad);

/// <summary>
/// The platform's labelled decisions as training data: one column per model input (as the champion reads them), a
/// <see cref="Period"/> column of contiguous time blocks for time-based cross-validation, and the label. Only what the
/// decision recorded goes in, so a model trained on it never sees what was learnt after the decision. The latest
/// <see cref="OutOfTimeShare"/> of rows is kept out of training, to judge the result out of time.
/// </summary>
public static class PlatformData
{
    /// <summary>The label column: "bad" or "good".</summary>
    public const string Label = "outcome";

    /// <summary>The time-block column naming each row's cross-validation fold.</summary>
    public const string Period = "period";

    /// <summary>The share of the latest rows kept back for the out-of-time test.</summary>
    public const double OutOfTimeShare = 0.2;

    /// <summary>How to read <see cref="Table"/>'s output.</summary>
    public static DatasetOptions Options { get; } = new(Label, "bad", [], Period);

    /// <summary>Rows in time order, split into those to train on and the latest <see cref="OutOfTimeShare"/> to test on.</summary>
    public static (IReadOnlyList<PlatformRow> Train, IReadOnlyList<PlatformRow> OutOfTime) Split(IReadOnlyList<PlatformRow> rows)
    {
        var ordered = rows.OrderBy(r => r.DecidedAt).ToList();
        int train = ordered.Count - (int)Math.Round(ordered.Count * OutOfTimeShare);
        return (ordered[..train], ordered[train..]);
    }

    /// <summary>
    /// <paramref name="rows"/> as a table of <paramref name="inputs"/>' columns (kinds declared as the model has them),
    /// the period (time blocks 0 to <paramref name="folds"/> − 1, oldest first) and the label.
    /// </summary>
    public static RawTable Table(IReadOnlyList<ModelInput> inputs, IReadOnlyList<PlatformRow> rows, int folds = 5)
    {
        var ordered = rows.OrderBy(r => r.DecidedAt).ToList();
        var columns = inputs.Select(i => i.Name).Append(Period).Append(Label).ToList();
        var numeric = inputs.Select(i => (bool?)(i.Kind == FeatureKind.Numeric)).Append(false).Append(false).ToList();
        var table = new List<RawRow>(ordered.Count);
        for (int r = 0; r < ordered.Count; r++)
        {
            var cells = new string?[columns.Count];
            for (int i = 0; i < inputs.Count; i++)
            {
                cells[i] = ordered[r].Inputs.GetValueOrDefault(inputs[i].Name);
            }

            cells[inputs.Count] = ((long)r * folds / ordered.Count).ToString(CultureInfo.InvariantCulture);
            cells[inputs.Count + 1] = ordered[r].Bad ? "bad" : "good";
            table.Add(new RawRow(r + 2, cells));
        }

        return new RawTable(columns, numeric, table);
    }

    /// <summary>The table as CSV (header row first), for <c>jisudai train --data</c> and for people to read.</summary>
    public static string Csv(RawTable table)
    {
        static string Cell(string? value) => value is null ? "" : value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
        var lines = new List<string> { string.Join(',', table.Columns.Select(Cell)) };
        lines.AddRange(table.Rows.Select(r => string.Join(',', r.Cells.Select(Cell))));
        return string.Join('\n', lines) + "\n";
    }
}
