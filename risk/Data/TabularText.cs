using System.Text;

namespace JisuDai.Risk.Data;

/// <summary>
/// Reads CSV (RFC 4180: header row, commas, double quotes) and ARFF (Weka's format: <c>@attribute</c> declarations,
/// <c>@data</c>, single or double quotes, <c>%</c> comments) into a <see cref="RawTable"/>.
/// </summary>
public static class TabularText
{
    static readonly HashSet<string> MissingTokens = new(StringComparer.OrdinalIgnoreCase) { "", "?", "NA", "N/A", "NaN", "null" };

    /// <summary>Reads <paramref name="text"/>; ARFF when the source name ends in .arff or the text starts with <c>@relation</c>.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="sourceName">The file name, used in messages and to tell the format.</param>
    public static RawTable Read(TextReader text, string sourceName)
    {
        var lines = new List<string>();
        for (string? line = text.ReadLine(); line is not null; line = text.ReadLine())
        {
            lines.Add(line);
        }

        bool arff = sourceName.EndsWith(".arff", StringComparison.OrdinalIgnoreCase)
            || lines.FirstOrDefault(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith('%'))?.TrimStart()
                .StartsWith("@relation", StringComparison.OrdinalIgnoreCase) == true;
        return arff ? ReadArff(lines, sourceName) : ReadCsv(lines, sourceName);
    }

    /// <summary>True when a cell's text stands for a missing value (empty, ?, NA, N/A, NaN, null).</summary>
    public static bool IsMissing(string? cell) => cell is null || MissingTokens.Contains(cell.Trim());

    static RawTable ReadCsv(List<string> lines, string source)
    {
        int headerIndex = lines.FindIndex(l => l.Trim().Length > 0);
        if (headerIndex < 0)
        {
            throw new CreditDataException($"{source}: the file is empty; expected a header row and data rows.");
        }

        string?[] header = Split(lines[headerIndex], ',', '"', source, headerIndex + 1);
        var names = header.Select((h, i) => string.IsNullOrWhiteSpace(h) ? throw new CreditDataException(
            $"{source}, line {headerIndex + 1}: column {i + 1} has no name.") : h.Trim()).ToList();
        RejectDuplicateNames(names, source);
        var rows = new List<RawRow>();
        for (int i = headerIndex + 1; i < lines.Count; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }

            rows.Add(Row(Split(lines[i], ',', '"', source, i + 1), names.Count, source, i + 1));
        }

        return new RawTable(names, names.Select(_ => (bool?)null).ToList(), rows);
    }

    static RawTable ReadArff(List<string> lines, string source)
    {
        var names = new List<string>();
        var numeric = new List<bool?>();
        int i = 0;
        for (; i < lines.Count; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('%'))
            {
                continue;
            }

            if (line.StartsWith("@data", StringComparison.OrdinalIgnoreCase))
            {
                i++;
                break;
            }

            if (line.StartsWith("@attribute", StringComparison.OrdinalIgnoreCase))
            {
                (string name, string type) = Attribute(line["@attribute".Length..].Trim(), source, i + 1);
                names.Add(name);
                string kind = type.ToLowerInvariant();
                numeric.Add(kind is "numeric" or "real" or "integer" ? true : kind.StartsWith('{') ? false : null);
            }
        }

        if (names.Count == 0)
        {
            throw new CreditDataException($"{source}: no @attribute declarations before @data.");
        }

        RejectDuplicateNames(names, source);
        var rows = new List<RawRow>();
        for (; i < lines.Count; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('%'))
            {
                continue;
            }

            if (line.StartsWith('{'))
            {
                throw new CreditDataException($"{source}, line {i + 1}: sparse ARFF rows are not supported.");
            }

            rows.Add(Row(Split(line, ',', '\'', source, i + 1), names.Count, source, i + 1));
        }

        return new RawTable(names, numeric, rows);
    }

    static (string Name, string Type) Attribute(string rest, string source, int line)
    {
        string name;
        string type;
        if (rest.Length > 0 && rest[0] is '\'' or '"')
        {
            int end = rest.IndexOf(rest[0], 1);
            if (end < 0)
            {
                throw new CreditDataException($"{source}, line {line}: unterminated quoted attribute name.");
            }

            name = rest[1..end];
            type = rest[(end + 1)..].Trim();
        }
        else
        {
            int space = rest.IndexOfAny([' ', '\t', '{']);
            if (space < 0)
            {
                throw new CreditDataException($"{source}, line {line}: @attribute needs a name and a type.");
            }

            name = rest[..space];
            type = rest[space..].Trim();
        }

        return (name, type);
    }

    static RawRow Row(string?[] cells, int width, string source, int line)
    {
        if (cells.Length != width)
        {
            throw new CreditDataException(
                $"{source}, line {line}: expected {width} fields but found {cells.Length}.");
        }

        for (int c = 0; c < cells.Length; c++)
        {
            cells[c] = IsMissing(cells[c]) ? null : cells[c]!.Trim();
        }

        return new RawRow(line, cells);
    }

    /// <summary>Splits one line on commas, honouring <paramref name="quote"/> (and double quotes in ARFF too); a doubled quote inside quotes is a literal quote.</summary>
    static string?[] Split(string line, char separator, char quote, string source, int lineNumber)
    {
        var cells = new List<string?>();
        var cell = new StringBuilder();
        char? open = null;
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (open is { } q)
            {
                if (ch == q)
                {
                    if (i + 1 < line.Length && line[i + 1] == q)
                    {
                        cell.Append(q);
                        i++;
                    }
                    else
                    {
                        open = null;
                    }
                }
                else if (ch == '\\' && quote == '\'' && i + 1 < line.Length)
                {
                    cell.Append(line[++i]);
                }
                else
                {
                    cell.Append(ch);
                }
            }
            else if (ch == separator)
            {
                cells.Add(quoted ? cell.ToString() : cell.ToString().Trim());
                cell.Clear();
                quoted = false;
            }
            else if ((ch == quote || ch == '"') && cell.ToString().Trim().Length == 0)
            {
                cell.Clear();
                open = ch;
                quoted = true;
            }
            else
            {
                cell.Append(ch);
            }
        }

        if (open is not null)
        {
            throw new CreditDataException($"{source}, line {lineNumber}: a quoted field is not closed.");
        }

        cells.Add(quoted ? cell.ToString() : cell.ToString().Trim());
        return [.. cells];
    }

    static void RejectDuplicateNames(List<string> names, string source)
    {
        string? duplicate = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new CreditDataException($"{source}: column '{duplicate}' appears more than once.");
        }
    }
}
