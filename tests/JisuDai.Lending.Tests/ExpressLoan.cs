using JisuDai.Lending.Ledger;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using JisuDai.Lending.Schedules;

namespace JisuDai.Lending.Tests;

/// <summary>The loan the lending scenarios live through: 12,000 yuan of Express over 12 months at 18%, paid out on 15 January 2026.</summary>
static class ExpressLoan
{
    public static readonly DateOnly Disbursed = new(2026, 1, 15);
    public static readonly LoanProduct Product = BuiltInProducts.Express;

    public static Loan New()
    {
        RepaymentSchedule schedule = Offers.Price(Product, Offers.TermsFor(Product, 12_000m, 12, 0.18m), Disbursed).Value!.Schedule;
        return new Loan("loan-1.cust-1", "cust-1", "app-1.cust-1", 12_000m, LoanStatus.Active, Disbursed, Product.Code, schedule, "tr-1")
            .Raise(LoanEventType.LoanDisbursed, Disbursed, 12_000m, "tr-1");
    }

    /// <summary>What is due on <paramref name="day"/>: every installment fallen due by then, less what was paid on it.</summary>
    public static decimal DueOn(Loan loan, DateOnly day) =>
        LoanSweep.LedgerOf(loan, Product).PositionOn(day).Balances.Where(b => b.DueDate <= day).Sum(b => b.Total);

    /// <summary>A payment under <paramref name="reference"/> made at ten in the morning of <paramref name="day"/>, lender's time.</summary>
    public static RecordedRepayment Pay(string reference, DateOnly day, decimal amount, PrepaymentMode? mode = null) =>
        new(reference, day, amount, new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)), mode);
}
