using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using JisuDai.Risk.Training;

namespace JisuDai.Risk.Data;

/// <summary>How a feature's values are treated.</summary>
public enum FeatureKind
{
    /// <summary>Ordered numbers, binned by cut points.</summary>
    Numeric,
    /// <summary>Labels, one bin per category (rare ones pooled).</summary>
    Categorical,
}

/// <summary>One feature column, typed: numbers (NaN where missing) or category labels (null where missing).</summary>
public sealed record FeatureColumn(string Name, FeatureKind Kind, double[]? Numbers, string?[]? Categories)
{
    /// <summary>The number of rows.</summary>
    public int Length => Numbers?.Length ?? Categories!.Length;

    /// <summary>True when row <paramref name="row"/> has no value.</summary>
    public bool IsMissing(int row) => Kind == FeatureKind.Numeric ? double.IsNaN(Numbers![row]) : Categories![row] is null;

    /// <summary>The rows given by <paramref name="rows"/>, in that order.</summary>
    public FeatureColumn Select(int[] rows) => this with
    {
        Numbers = Numbers is null ? null : rows.Select(r => Numbers[r]).ToArray(),
        Categories = Categories is null ? null : rows.Select(r => Categories[r]).ToArray(),
    };
}

/// <summary>What to train on: the label, what counts as bad, columns to leave out and an optional fold column.</summary>
/// <param name="Label">The outcome column.</param>
/// <param name="BadValue">The label value that means the loan went bad.</param>
/// <param name="Ignore">Columns that are not features (IDs, dates).</param>
/// <param name="FoldColumn">A column whose values name the cross-validation folds (for time-based validation), or null.</param>
public sealed record DatasetOptions(string Label, string BadValue, IReadOnlyCollection<string> Ignore, string? FoldColumn = null);

/// <summary>
/// Training data: typed features, the bad flag per row, the fold of each row when the data names folds, the warnings raised
/// while preparing it, and a hash of the data that identifies it in a model bundle.
/// </summary>
public sealed record CreditDataset(
    IReadOnlyList<FeatureColumn> Features, bool[] Bad, int[]? Folds, IReadOnlyList<string> Warnings, string DataHash)
{
    /// <summary>The number of rows.</summary>
    public int Count => Bad.Length;

    /// <summary>The rows given by <paramref name="rows"/>.</summary>
    public CreditDataset Select(int[] rows) => this with
    {
        Features = Features.Select(f => f.Select(rows)).ToList(),
        Bad = rows.Select(r => Bad[r]).ToArray(),
        Folds = Folds is null ? null : rows.Select(r => Folds[r]).ToArray(),
    };

    /// <summary>
    /// Types the columns of <paramref name="table"/> and checks that it can be trained on. A column is numeric when the file
    /// declares it so or every present value parses as a number. Constant columns and columns that look like row IDs are
    /// dropped with a warning; a missing label column, a missing label, one class only or an all-missing column is an error.
    /// </summary>
    public static CreditDataset Prepare(RawTable table, DatasetOptions options, string sourceName)
    {
        int labelIndex = IndexOf(table, options.Label, sourceName, "--label");
        int foldIndex = options.FoldColumn is null ? -1 : IndexOf(table, options.FoldColumn, sourceName, "--fold-column");
        foreach (string ignored in options.Ignore)
        {
            IndexOf(table, ignored, sourceName, "--ignore");
        }

        if (table.Rows.Count == 0)
        {
            throw new CreditDataException($"{sourceName}: there are no data rows.");
        }

        var bad = new bool[table.Rows.Count];
        for (int r = 0; r < table.Rows.Count; r++)
        {
            string? label = table.Rows[r].Cells[labelIndex]
                ?? throw new CreditDataException($"{sourceName}, line {table.Rows[r].Line}: the label '{options.Label}' is missing.");
            bad[r] = string.Equals(label, options.BadValue, StringComparison.OrdinalIgnoreCase);
        }

        int badCount = bad.Count(b => b);
        if (badCount == 0 || badCount == bad.Length)
        {
            string seen = string.Join(", ", table.Rows.Select(r => r.Cells[labelIndex]).Distinct().Take(5).Select(v => $"'{v}'"));
            throw new CreditDataException(badCount == 0
                ? $"{sourceName}: no row has '{options.Label}' = '{options.BadValue}', so there is only one class (values seen: {seen}). Check --bad."
                : $"{sourceName}: every row has '{options.Label}' = '{options.BadValue}', so there is only one class.");
        }

        var warnings = new List<string>();
        var features = new List<FeatureColumn>();
        var excluded = new HashSet<string>(options.Ignore, StringComparer.OrdinalIgnoreCase) { options.Label };
        if (options.FoldColumn is not null)
        {
            excluded.Add(options.FoldColumn);
        }

        for (int c = 0; c < table.Columns.Count; c++)
        {
            string name = table.Columns[c];
            if (excluded.Contains(name))
            {
                continue;
            }

            string?[] cells = table.Rows.Select(r => r.Cells[c]).ToArray();
            var present = cells.Where(v => v is not null).ToList();
            if (present.Count == 0)
            {
                throw new CreditDataException($"{sourceName}: column '{name}' has no values in any row. Remove it or pass --ignore {name}.");
            }

            if (present.Distinct(StringComparer.Ordinal).Count() == 1 && present.Count == cells.Length)
            {
                warnings.Add($"column '{name}' has the same value in every row and was dropped.");
                continue;
            }

            bool numeric = table.DeclaredNumeric[c] ?? present.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            if (numeric)
            {
                var numbers = new double[cells.Length];
                for (int r = 0; r < cells.Length; r++)
                {
                    if (cells[r] is null)
                    {
                        numbers[r] = double.NaN;
                    }
                    else if (!double.TryParse(cells[r], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[r]) || !double.IsFinite(numbers[r]))
                    {
                        throw new CreditDataException($"{sourceName}, line {table.Rows[r].Line}: column '{name}' is numeric but has '{cells[r]}'.");
                    }
                }

                features.Add(new FeatureColumn(name, FeatureKind.Numeric, numbers, null));
            }
            else
            {
                if (present.Count == cells.Length && present.Distinct(StringComparer.Ordinal).Count() == cells.Length && cells.Length > 20)
                {
                    warnings.Add($"column '{name}' has a different value in every row, like an ID, and was dropped; pass --ignore {name} to silence this.");
                    continue;
                }

                features.Add(new FeatureColumn(name, FeatureKind.Categorical, null, cells));
            }
        }

        if (features.Count == 0)
        {
            throw new CreditDataException($"{sourceName}: no feature columns are left to train on.");
        }

        int[]? folds = null;
        if (foldIndex >= 0)
        {
            string?[] foldValues = table.Rows.Select(r => r.Cells[foldIndex]).ToArray();
            int missingFold = Array.IndexOf(foldValues, null);
            if (missingFold >= 0)
            {
                throw new CreditDataException($"{sourceName}, line {table.Rows[missingFold].Line}: the fold column '{options.FoldColumn}' is missing.");
            }

            var distinct = foldValues.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (distinct.Count < 2)
            {
                throw new CreditDataException($"{sourceName}: the fold column '{options.FoldColumn}' needs at least two distinct values.");
            }

            folds = foldValues.Select(v => distinct.IndexOf(v!)).ToArray();
        }

        return new CreditDataset(features, bad, folds, warnings, Hash(table));
    }

    static int IndexOf(RawTable table, string column, string sourceName, string option)
    {
        for (int i = 0; i < table.Columns.Count; i++)
        {
            if (string.Equals(table.Columns[i], column, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new CreditDataException(
            $"{sourceName}: there is no column '{column}' (from {option}). Columns: {string.Join(", ", table.Columns)}.");
    }

    /// <summary>SHA-256 over the column names and cells, so the same data read from CSV or ARFF hashes the same.</summary>
    static string Hash(RawTable table)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string? s)
        {
            sha.AppendData(Encoding.UTF8.GetBytes(s ?? "\u0000"));
            sha.AppendData([0x1F]);
        }

        foreach (string c in table.Columns)
        {
            Add(c);
        }

        foreach (RawRow row in table.Rows)
        {
            sha.AppendData([0x1E]);
            foreach (string? cell in row.Cells)
            {
                Add(cell);
            }
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
