using JisuDai.Lending.Ledger;
using JisuDai.Lending.Products;

namespace JisuDai.Lending.Loans;

/// <summary>
/// What a payment value-dated before days already swept would have prevented. The sweep charged penalty interest and
/// late fees on those days without it; the charges stay in the ledger as they were, and entries appended with the
/// payment (<see cref="ChargeReversed"/>, and charges made again) leave it owing what it would have owed had the payment
/// been recorded on its value date.
/// </summary>
public static class ValueDating
{
    /// <summary>
    /// The earliest value date a payment recorded on <paramref name="recordedOn"/> may have under <paramref name="product"/>
    /// (<see cref="LoanProduct.MaxBackdatedDays"/> before it): a staff-recorded payment dated earlier is refused, and a
    /// provider's value date earlier counts from this day.
    /// </summary>
    public static DateOnly EarliestValueDate(LoanProduct product, DateOnly recordedOn) => recordedOn.AddDays(-product.MaxBackdatedDays);

    /// <summary>
    /// The entries to append around <paramref name="repayment"/> on <paramref name="loan"/> (numbered already), so that it
    /// counts from its value date. Every charge swept in on or after that date is taken back in full before the payment
    /// (so the payment settles what was owed on its value date, not penalties that only its late recording let accrue),
    /// and after it the charges the sweep would have made had the payment been recorded on that date (found by sweeping
    /// those days again with it) are charged again under the same day's id with <c>-r{n}</c> added. A charge made before
    /// the latest restructuring on or after the value date stays: the restructuring settled or capitalised it on the
    /// terms then agreed, so the window starts the day after it. Nothing when no charge was swept in on or after the
    /// value date.
    /// </summary>
    public static ValueDatedCorrection Correction(Loan loan, RecordedRepayment repayment, LoanProduct product)
    {
        if (loan.LastSweptOn is not { } swept || swept < repayment.PaidOn || loan.WriteOff is not null)
        {
            return ValueDatedCorrection.None;
        }

        DateOnly from = repayment.PaidOn;
        DateOnly restructured = (loan.Restructurings ?? []).Select(r => r.Terms.Date).DefaultIfEmpty(DateOnly.MinValue).Max();
        if (restructured >= from)
        {
            from = restructured.AddDays(1);
        }

        IReadOnlyList<ChargeAssessed> charges = loan.Charges ?? [];
        IReadOnlyList<ChargeReversed> reversed = loan.ChargeReversals ?? [];
        var standing = charges.Where(c => c.Date >= from)
            .Select(c => (Charge: c, Earlier: reversed.Count(r => r.ChargeId == c.Id), Left: c.Amount - reversed.Where(r => r.ChargeId == c.Id).Sum(r => r.Amount)))
            .Where(c => c.Left > 0)
            .ToList();
        if (standing.Count == 0)
        {
            return ValueDatedCorrection.None;
        }

        // The loan as it would have been swept: no charge from the window on, the payment recorded as of its value date.
        var kept = charges.Where(c => c.Date < from).ToList();
        var keptIds = kept.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        Loan counterfactual = loan with
        {
            Charges = kept,
            ChargeReversals = reversed.Where(r => keptIds.Contains(r.ChargeId)).ToList(),
            Repayments = [.. loan.Repayments ?? [], repayment with { Sequence = LedgerSequence.Last(loan) + 1 }],
            LastSweptOn = from.AddDays(-1),
        };
        for (DateOnly day = from; day <= swept; day = day.AddDays(1))
        {
            counterfactual = LoanSweep.Sweep(counterfactual, product, day).Loan;
        }

        var reversals = standing.Select(c => new ChargeReversed($"reversal-{c.Charge.Id}-{c.Earlier + 1}", c.Charge.Date, c.Charge.Id, c.Left)).ToList();
        var charged = charges.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var recharges = new List<ChargeAssessed>();
        foreach (ChargeAssessed again in (counterfactual.Charges ?? []).Where(c => c.Date >= from))
        {
            int n = 1;
            while (charged.Contains($"{again.Id}-r{n}"))
            {
                n++;
            }

            recharges.Add(again with { Id = $"{again.Id}-r{n}", Sequence = 0 });
        }

        return new ValueDatedCorrection(reversals, recharges);
    }
}

/// <summary>What makes a payment recorded late count from its value date.</summary>
/// <param name="Reversals">Charges from its value date on, taken back in full before it.</param>
/// <param name="Recharges">What the sweep would have charged with it in place, charged again after it.</param>
public sealed record ValueDatedCorrection(IReadOnlyList<ChargeReversed> Reversals, IReadOnlyList<ChargeAssessed> Recharges)
{
    /// <summary>No correction: no charge was swept in on or after the value date.</summary>
    public static ValueDatedCorrection None { get; } = new([], []);

    /// <summary>What the borrower no longer owes: taken back less charged again.</summary>
    public decimal TakenBack => Reversals.Sum(r => r.Amount) - Recharges.Sum(c => c.Amount);
}
