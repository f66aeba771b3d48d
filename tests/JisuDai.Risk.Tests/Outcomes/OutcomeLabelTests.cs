using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using JisuDai.Lending.Schedules;
using JisuDai.Risk.Outcomes;

namespace JisuDai.Risk.Tests.Outcomes;

/// <summary>Outcome labels on hand-built loans whose answer is known: paid on time, late, very late, repaid early, never paid out.</summary>
public sealed class OutcomeLabelTests
{
    static readonly DateOnly Disbursed = new(2026, 1, 15);
    static readonly LoanProduct Product = BuiltInProducts.Express;

    static Loan NewLoan()
    {
        RepaymentSchedule schedule = Offers.Price(Product, Offers.TermsFor(Product, 12_000m, 12, 0.18m), Disbursed).Value!.Schedule;
        return new Loan("loan-1.c-1", "c-1", "app-1.c-1", 12_000m, LoanStatus.Active, Disbursed, Product.Code, schedule, "tr-1")
            .Raise(LoanEventType.LoanDisbursed, Disbursed, 12_000m, "tr-1");
    }

    static Loan Pay(Loan loan, DateOnly on, decimal amount) =>
        LoanRepayments.Record(loan, new RecordedRepayment($"p-{on:yyyyMMdd}-{amount}", on, amount, new DateTimeOffset(on.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)))).Value!.Loan;

    /// <summary>Pays each installment on its due date, for the first <paramref name="count"/> of them.</summary>
    static Loan PayOnTime(Loan loan, int count)
    {
        foreach (Installment i in loan.Schedule!.Installments.Take(count))
        {
            loan = Pay(loan, i.DueDate, i.Total);
        }

        return loan;
    }

    static DateOnly Due(Loan loan, int number) => loan.Schedule!.Installments[number - 1].DueDate;

    [Fact]
    public void A_loan_paid_on_time_is_immature_until_each_window_passes_and_good_after()
    {
        Loan loan = PayOnTime(NewLoan(), 12);

        // Two months and five days on: the first installment is 30 days behind its due date, the 3-month window not passed.
        LoanOutcome early = OutcomeLabels.Of(loan with { Status = LoanStatus.Active }, "dec-1", Disbursed.AddMonths(2).AddDays(5))!;
        Assert.Equal((Label.Immature, Label.Immature, Label.Immature, Label.Good), (early.Ever30In3, early.Ever30In6, early.Ever30In12, early.FirstPaymentDefault));
        Assert.Equal((2, "dec-1", false), (early.MonthsOnBook, early.DecisionId, early.Final));

        LoanOutcome sixMonths = OutcomeLabels.Of(loan with { Status = LoanStatus.Active }, "dec-1", Disbursed.AddMonths(6))!;
        Assert.Equal((Label.Good, Label.Good, Label.Immature, Label.Immature), (sixMonths.Ever30In3, sixMonths.Ever30In6, sixMonths.Ever30In12, sixMonths.Ever90In12));

        LoanOutcome year = OutcomeLabels.Of(loan with { Status = LoanStatus.Active }, "dec-1", Disbursed.AddMonths(12))!;
        Assert.True(year.Final);
        Assert.Equal(0, year.WorstDaysPastDue);
    }

    [Fact]
    public void A_first_installment_unpaid_30_days_after_it_fell_due_is_a_first_payment_default_and_bad_at_once_in_every_window()
    {
        Loan loan = NewLoan();
        DateOnly due = Due(loan, 1);

        LoanOutcome before = OutcomeLabels.Of(loan, null, due.AddDays(29))!;
        Assert.Equal((Label.Immature, Label.Immature), (before.FirstPaymentDefault, before.Ever30In3));

        LoanOutcome after = OutcomeLabels.Of(loan, null, due.AddDays(30))!;
        Assert.Equal((Label.Bad, Label.Bad, Label.Bad, Label.Bad), (after.FirstPaymentDefault, after.Ever30In3, after.Ever30In6, after.Ever30In12));
        Assert.Equal(Label.Immature, after.Ever90In12); // 90 days have not come yet
        Assert.Equal(30, after.WorstDaysPastDue);
        Assert.Equal(due.AddDays(30), after.First30On);
        Assert.Null(before.First30On);

        // Month-ends on book: the first installment falls due a month in and is never paid, so each month-end is a month later.
        LoanOutcome fourMonths = OutcomeLabels.Of(loan, null, Disbursed.AddMonths(4))!;
        Assert.Equal(4, fourMonths.MonthEndDaysPastDue.Count);
        Assert.Equal(Enumerable.Range(1, 4).Select(k => Math.Max(0, Disbursed.AddMonths(k).DayNumber - due.DayNumber)), fourMonths.MonthEndDaysPastDue);
    }

    [Fact]
    public void Paid_29_days_late_is_not_30_and_a_later_installment_30_days_late_is_bad_only_in_the_windows_it_falls_in()
    {
        Loan loan = NewLoan();
        // The first installment paid 29 days late (with the second, and enough for any late interest); the third and
        // fourth on time; the fifth 40 days late (with the sixth); the rest on time.
        loan = Pay(loan, Due(loan, 1).AddDays(29), 2 * loan.Schedule!.Installments[0].Total + 200m);
        for (int n = 3; n <= 4; n++)
        {
            loan = Pay(loan, Due(loan, n), loan.Schedule!.Installments[n - 1].Total + 20m);
        }

        loan = Pay(loan, Due(loan, 5).AddDays(40), 3_000m);
        for (int n = 7; n <= 12 && loan.Status != LoanStatus.PaidOff; n++)
        {
            loan = Pay(loan, Due(loan, n), loan.Schedule!.Installments[n - 1].Total + 20m);
        }

        LoanOutcome outcome = OutcomeLabels.Of(loan, null, Disbursed.AddMonths(12))!;
        Assert.Equal(Label.Good, outcome.FirstPaymentDefault);
        Assert.Equal(Label.Good, outcome.Ever30In3);
        Assert.Equal(Due(loan, 5).AddDays(30) <= Disbursed.AddMonths(6) ? Label.Bad : Label.Good, outcome.Ever30In6);
        Assert.Equal(Label.Bad, outcome.Ever30In12);
        Assert.Equal(Label.Good, outcome.Ever90In12);
    }

    [Fact]
    public void Ninety_days_past_due_within_a_year_is_bad_for_the_90_label()
    {
        Loan loan = PayOnTime(NewLoan(), 2);
        LoanOutcome outcome = OutcomeLabels.Of(loan, null, Due(loan, 3).AddDays(90))!;
        Assert.Equal((Label.Good, Label.Bad, Label.Bad), (outcome.FirstPaymentDefault, outcome.Ever30In12, outcome.Ever90In12));
        Assert.True(outcome.WorstDaysPastDue >= 90);
    }

    [Fact]
    public void A_loan_repaid_early_is_good_in_every_window_at_once_and_one_never_paid_out_has_no_labels()
    {
        Loan loan = NewLoan();
        DateOnly day = Disbursed.AddDays(20);
        decimal payoff = LoanSweep.LedgerOf(loan, Product).QuoteOn(day).Total;
        loan = LoanRepayments.Record(loan, new RecordedRepayment("payoff", day, payoff, new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.FromHours(8)))).Value!.Loan;
        Assert.Equal(LoanStatus.PaidOff, loan.Status);

        LoanOutcome outcome = OutcomeLabels.Of(loan, null, day.AddDays(1))!;
        Assert.True(outcome.Final);
        Assert.Equal((Label.Good, Label.Good, Label.Good, Label.Good, Label.Good),
            (outcome.Ever30In3, outcome.Ever30In6, outcome.Ever30In12, outcome.Ever90In12, outcome.FirstPaymentDefault));

        Assert.Null(OutcomeLabels.Of(NewLoan() with { Status = LoanStatus.Approved }, null, day));
        Assert.Null(OutcomeLabels.Of(NewLoan() with { Status = LoanStatus.Cancelled }, null, day));
    }
}
