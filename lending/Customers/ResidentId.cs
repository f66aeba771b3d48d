using System.Globalization;

namespace JisuDai.Lending.Customers;

/// <summary>Mainland resident ID numbers (GB 11643): 17 digits and a check character, the birth date at 7–14.</summary>
public static class ResidentId
{
    static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const string CheckCharacters = "10X98765432";

    /// <summary>True for 17 digits, a valid birth date and the right check character.</summary>
    public static bool IsValid(string id)
    {
        if (id.Length != 18 || !id[..17].All(char.IsAsciiDigit) || !DateOnly.TryParseExact(id[6..14], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return false;
        }

        int sum = 0;
        for (int i = 0; i < 17; i++)
        {
            sum += (id[i] - '0') * Weights[i];
        }

        return char.ToUpperInvariant(id[17]) == CheckCharacters[sum % 11];
    }

    /// <summary>The holder's age in whole years on <paramref name="today"/>.</summary>
    public static int AgeOn(string id, DateOnly today)
    {
        DateOnly born = DateOnly.ParseExact(id[6..14], "yyyyMMdd", CultureInfo.InvariantCulture);
        int age = today.Year - born.Year;
        return born.AddYears(age) > today ? age - 1 : age;
    }
}
