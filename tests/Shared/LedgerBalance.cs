using JisuDai.Lending.Ledger;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using JisuDai.Lending.Repayments;

namespace JisuDai.Tests;

/// <summary>What a loan's ledger must satisfy on every day of its life, whoever moved its money.</summary>
public static class LedgerBalance
{
    /// <summary>
    /// The ledger of <paramref name="loan"/> balances on <paramref name="day"/>: principal repaid, outstanding and written
    /// off make the principal lent; every yuan received is allocated or held as credit; no balance is negative; every
    /// penalty and fee charged (a prepayment fee is charged as it is paid) is paid or still owed (until a write-off takes what is owed off the books).
    /// </summary>
    public static void AssertBalanced(Loan loan, LoanProduct product, DateOnly day)
    {
        LoanPosition position = LoanSweep.LedgerOf(loan, product).PositionOn(day);
        var lines = position.Applied.SelectMany(a => a.Lines).ToList();
        decimal Paid(Component component) => lines.Where(l => l.Component == component).Sum(l => l.Amount);
        string where = $"{loan.Id} on {day:yyyy-MM-dd}";

        decimal principalWrittenOff = loan.WriteOff is { } w && w.On <= day ? loan.Principal - Paid(Component.Principal) : 0m;
        Assert.True(loan.Principal == Paid(Component.Principal) + position.PrincipalOutstanding + principalWrittenOff, $"Principal does not balance for {where}.");
        decimal received = (loan.Repayments ?? []).Where(r => r.PaidOn <= day).Sum(r => r.Amount);
        Assert.True(received == lines.Sum(l => l.Amount) + position.Applied.Sum(a => a.ToCredit), $"Money received is not all allocated for {where}.");
        Assert.True(position.Balances.All(b => b.Principal >= 0 && b.Interest >= 0 && b.Penalty >= 0 && b.Fee >= 0), $"A balance is negative for {where}.");
        if (position.WrittenOff == 0)
        {
            // A prepayment fee is charged and paid at once, with no charge standing for it; a charge taken back is no
            // longer owed, and what had been paid of it went to credit.
            var components = (loan.Charges ?? []).ToDictionary(c => c.Id, c => c.Component);
            decimal Charged(Component charge) => (loan.Charges ?? []).Where(c => c.Component == charge && c.Date <= day).Sum(c => c.Amount)
                - (loan.ChargeReversals ?? []).Where(r => components[r.ChargeId] == charge && r.Date <= day).Sum(r => r.Amount)
                + (charge == Component.Fee ? position.Applied.Sum(a => a.PrepaymentFee) : 0m);
            decimal PaidAndOwed(Component charge) => Paid(charge) + position.Balances.Sum(b => b.Of(charge));
            Assert.True(Charged(Component.Penalty) + Charged(Component.Fee) == PaidAndOwed(Component.Penalty) + PaidAndOwed(Component.Fee) - position.ChargesReversedToCredit,
                $"Penalties and fees charged are not paid plus owed for {where}.");
            if (position.ChargesReversedToCredit == 0)
            {
                Assert.True(Charged(Component.Penalty) == PaidAndOwed(Component.Penalty), $"Penalty charged is not paid plus owed for {where}.");
            }
        }
    }
}
