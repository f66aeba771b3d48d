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
            foreach (Component charge in new[] { Component.Penalty, Component.Fee })
            {
                // A prepayment fee is charged and paid at once, with no charge standing for it.
                decimal charged = (loan.Charges ?? []).Where(c => c.Component == charge && c.Date <= day).Sum(c => c.Amount)
                    + (charge == Component.Fee ? position.Applied.Sum(a => a.PrepaymentFee) : 0m);
                Assert.True(charged == Paid(charge) + position.Balances.Sum(b => b.Of(charge)), $"{charge} charged is not paid plus owed for {where}.");
            }
        }
    }
}
