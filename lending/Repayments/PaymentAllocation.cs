namespace JisuDai.Lending.Repayments;

/// <summary>The result of allocating one payment.</summary>
/// <param name="Balances">Every installment's balance after the payment.</param>
/// <param name="Lines">What the payment settled, in order.</param>
/// <param name="Unapplied">What was left once everything due was settled: a prepayment for the caller to apply.</param>
public sealed record Allocation(IReadOnlyList<InstallmentBalance> Balances, IReadOnlyList<AllocationLine> Lines, decimal Unapplied);

/// <summary>Allocates payments to what is due, by a waterfall.</summary>
public static class PaymentAllocation
{
    /// <summary>
    /// Settles installments due on or before <paramref name="paidOn"/>, oldest first, each by the waterfall's
    /// order. Nothing not yet due is touched: what is left is returned as <see cref="Allocation.Unapplied"/>.
    /// Money is conserved exactly: the lines and the unapplied amount add up to the payment.
    /// </summary>
    public static Allocation Apply(IReadOnlyList<InstallmentBalance> balances, decimal payment, DateOnly paidOn, Waterfall waterfall)
    {
        var after = balances.ToArray();
        var lines = new List<AllocationLine>();
        decimal left = payment;
        for (int i = 0; i < after.Length && left > 0; i++)
        {
            if (after[i].DueDate > paidOn)
            {
                continue;
            }

            foreach (Component component in waterfall.Order)
            {
                decimal amount = Math.Min(left, after[i].Of(component));
                if (amount > 0)
                {
                    after[i] = after[i].Settle(component, amount);
                    lines.Add(new AllocationLine(after[i].Number, component, amount));
                    left -= amount;
                }
            }
        }

        return new Allocation(after, lines, left);
    }
}
