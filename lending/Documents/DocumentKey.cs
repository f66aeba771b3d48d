namespace JisuDai.Lending.Documents;

/// <summary>
/// The one rule for ids and customer ids, so every store accepts exactly the same keys: 1 to 128
/// characters of letters, digits, '-', '_' and '.'. (Table storage forbids '/', '\', '#', '?' and control
/// characters in keys and Cosmos DB forbids '/' and '\' in ids; this rule is inside both.)
/// </summary>
public static class DocumentKey
{
    /// <summary>The longest key accepted.</summary>
    public const int MaxLength = 128;

    /// <summary>True when <paramref name="key"/> is a valid id or customer id.</summary>
    public static bool IsValid(string? key) =>
        !string.IsNullOrEmpty(key) && key.Length <= MaxLength && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="field"/> when the key is invalid.</summary>
    public static void Require(string? key, string field)
    {
        if (!IsValid(key))
        {
            throw new ArgumentException(
                $"{field} must be 1 to {MaxLength} characters of letters, digits, '-', '_' or '.'; got '{key}'.", field);
        }
    }
}
