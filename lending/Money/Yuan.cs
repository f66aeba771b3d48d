namespace JisuDai.Lending.Money;

/// <summary>
/// The one rounding rule for money: amounts are <see cref="decimal"/> yuan rounded to the fen (0.01) half
/// away from zero (四舍五入), applied once per computed amount (each installment's interest, each fee),
/// never to intermediate products. Rounding differences are absorbed by the last installment.
/// </summary>
public static class Yuan
{
    /// <summary>The smallest amount: one fen.</summary>
    public const decimal Fen = 0.01m;

    /// <summary>Rounds to the fen, half away from zero.</summary>
    public static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);

    /// <summary>A whole-fen amount as a count of fen (the caller guarantees at most two decimals).</summary>
    public static long ToFen(decimal amount) => (long)(amount * 100m);

    /// <summary>A count of fen as yuan with two decimals, built directly rather than by decimal division.</summary>
    public static decimal FromFen(long fen)
    {
        ulong magnitude = fen < 0 ? (ulong)-fen : (ulong)fen;
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, fen < 0, 2);
    }
}
