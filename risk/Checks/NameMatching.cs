using System.Globalization;
using System.Text;

namespace JisuDai.Risk.Checks;

/// <summary>Fuzzy name matching for the blacklist: names normalised, then compared by Jaro–Winkler similarity.</summary>
public static class NameMatching
{
    /// <summary>
    /// A name reduced to what identifies it: Unicode NFKC (full-width letters become ASCII), lowercase, and only letters
    /// and digits kept, so "ZHANG  San", "zhang-san" and "Ｚｈａｎｇ·Ｓａｎ" are the same name.
    /// </summary>
    public static string Normalise(string name)
    {
        var result = new StringBuilder(name.Length);
        foreach (char c in name.Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture))
        {
            if (char.IsLetterOrDigit(c))
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }

    /// <summary>Jaro–Winkler similarity of two strings, 0 (nothing alike) to 1 (equal); the prefix bonus is 0.1 per character, up to 4.</summary>
    public static double JaroWinkler(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return a.Length == b.Length ? 1 : 0;
        }

        int window = Math.Max(0, Math.Max(a.Length, b.Length) / 2 - 1);
        var aMatched = new bool[a.Length];
        var bMatched = new bool[b.Length];
        int matches = 0;
        for (int i = 0; i < a.Length; i++)
        {
            for (int j = Math.Max(0, i - window); j < Math.Min(b.Length, i + window + 1); j++)
            {
                if (!bMatched[j] && a[i] == b[j])
                {
                    aMatched[i] = bMatched[j] = true;
                    matches++;
                    break;
                }
            }
        }

        if (matches == 0)
        {
            return 0;
        }

        int transpositions = 0;
        for (int i = 0, j = 0; i < a.Length; i++)
        {
            if (!aMatched[i])
            {
                continue;
            }

            while (!bMatched[j])
            {
                j++;
            }

            if (a[i] != b[j])
            {
                transpositions++;
            }

            j++;
        }

        double m = matches;
        double jaro = (m / a.Length + m / b.Length + (m - transpositions / 2.0) / m) / 3;
        int prefix = 0;
        while (prefix < Math.Min(4, Math.Min(a.Length, b.Length)) && a[prefix] == b[prefix])
        {
            prefix++;
        }

        return jaro + prefix * 0.1 * (1 - jaro);
    }
}
