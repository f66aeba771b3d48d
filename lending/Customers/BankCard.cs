namespace JisuDai.Lending.Customers;

/// <summary>A bank card number: 12 to 19 ASCII digits whose last is the Luhn check digit over the rest.</summary>
public static class BankCard
{
    /// <summary>True for 12 to 19 ASCII digits (nothing else: no full-width digits, spaces or line ends) passing the Luhn check.</summary>
    public static bool IsValid(string? number) =>
        number is { Length: >= 12 and <= 19 } && number.All(char.IsAsciiDigit) && CheckDigit(number.AsSpan(0, number.Length - 1)) == number[^1];

    /// <summary>The Luhn check digit that completes <paramref name="digits"/> (ASCII digits).</summary>
    public static char CheckDigit(ReadOnlySpan<char> digits)
    {
        int sum = 0;
        for (int i = 0; i < digits.Length; i++)
        {
            // Doubled: every second digit counting from the one next to where the check digit goes.
            int d = digits[digits.Length - 1 - i] - '0';
            sum += i % 2 == 0 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d;
        }

        return (char)('0' + (10 - sum % 10) % 10);
    }
}

/// <summary>A mainland mobile number as the platform writes it: +861, then 3 to 9, then 9 ASCII digits, and nothing more.</summary>
public static class MobileNumber
{
    /// <summary>True for exactly <c>+861[3-9]</c> and 9 ASCII digits (no full-width digits, no trailing line end).</summary>
    public static bool IsValid(string? phone) =>
        phone is { Length: 14 } && phone.StartsWith("+861", StringComparison.Ordinal) && phone[4] is >= '3' and <= '9' && phone.AsSpan(5).ContainsAnyExcept("0123456789") is false;
}
