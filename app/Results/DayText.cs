using System.Globalization;

namespace JisuDai.App.Results;

/// <summary>A day as the API takes it in a query or a body: yyyy-MM-dd, or nothing for the caller's default.</summary>
public static class DayText
{
    /// <summary>Parses <paramref name="text"/>; empty or missing gives <paramref name="fallback"/>. False when it is not yyyy-MM-dd.</summary>
    public static bool TryParse(string? text, DateOnly fallback, out DateOnly day)
    {
        if (string.IsNullOrEmpty(text))
        {
            day = fallback;
            return true;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }
}
