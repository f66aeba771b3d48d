namespace JisuDai.Risk.Data;

/// <summary>One data row as read, with the line it came from so errors can point at it.</summary>
/// <param name="Line">The 1-based line number in the source text.</param>
/// <param name="Cells">The cells; <c>null</c> where the value is missing.</param>
public sealed record RawRow(int Line, string?[] Cells);

/// <summary>
/// A table of text cells as read from CSV or ARFF, before any column is typed.
/// ARFF declares which attributes are numeric; CSV leaves that to inference.
/// </summary>
/// <param name="Columns">Column names in file order.</param>
/// <param name="DeclaredNumeric">Per column: <c>true</c> or <c>false</c> when the file declares it, <c>null</c> when it does not.</param>
/// <param name="Rows">The data rows.</param>
public sealed record RawTable(IReadOnlyList<string> Columns, IReadOnlyList<bool?> DeclaredNumeric, IReadOnlyList<RawRow> Rows);

/// <summary>Data that cannot be trained on, with a message that says what and where.</summary>
public sealed class CreditDataException(string message) : Exception(message);
