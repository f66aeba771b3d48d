using JisuDai.Lending.Customers;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using JisuDai.Lending.Repayments;
using JisuDai.Lending.Schedules;
using JisuDai.Tests;

namespace JisuDai.Lending.Tests;

/// <summary>
/// Whole 12-month loans, lived one day at a time: each day the borrower's payments for that day are recorded, then the
/// overdue sweep runs for it, as the app does. The day is the clock (the domain takes it as a value), so a year passes
/// in milliseconds. After every day the ledger must balance: principal paid plus principal outstanding (plus principal
/// written off) is the principal lent; every fen received is allocated or held; every charge is paid or still owed.
/// </summary>
public sealed class LoanLifeScenarioTests
{
    static readonly DateOnly Disbursed = ExpressLoan.Disbursed;
    static readonly LoanProduct Product = ExpressLoan.Product;

    static Loan NewLoan() => ExpressLoan.New();

    /// <summary>What the borrower pays on a day, given the loan as it stands that morning.</summary>
    delegate IEnumerable<RecordedRepayment> Borrower(Loan loan, DateOnly day);

    static decimal DueOn(Loan loan, DateOnly day) => ExpressLoan.DueOn(loan, day);

    static RecordedRepayment Pay(DateOnly day, decimal amount, PrepaymentMode? mode = null) =>
        ExpressLoan.Pay($"pay-{day:yyyyMMdd}{(mode is null ? "" : "-pre")}", day, amount, mode);

    static IEnumerable<DateOnly> DueDates(Loan loan) => loan.Schedule!.Installments.Select(i => i.DueDate);

    /// <summary>Lives the loan from disbursement to <paramref name="until"/>, checking the ledger after every day.</summary>
    static Loan Live(Borrower borrower, DateOnly until, Func<Loan, DateOnly, Loan>? lender = null)
    {
        Loan loan = NewLoan();
        for (DateOnly day = Disbursed; day <= until; day = day.AddDays(1))
        {
            foreach (RecordedRepayment payment in borrower(loan, day))
            {
                loan = LoanRepayments.Record(loan, payment).Value?.Loan ?? throw new Xunit.Sdk.XunitException($"{payment.Reference} refused on {day}.");
            }

            loan = LoanSweep.Sweep(loan, Product, day).Loan;
            loan = lender?.Invoke(loan, day) ?? loan;
            AssertBalances(loan, day);
        }

        return loan;
    }

    static void AssertBalances(Loan loan, DateOnly day)
    {
        JisuDai.Tests.LedgerBalance.AssertBalanced(loan, Product, day);
        Assert.Equal(loan.Events!.Select((e, n) => $"{loan.Id}-{n + 1:D4}"), loan.Events!.Select(e => e.Id));
    }

    static LoanEventType[] Types(Loan loan) => loan.Events!.Select(e => e.Type).ToArray();

    [Fact]
    public void Paid_on_time_every_month_it_is_never_charged_and_is_paid_off_on_the_last_due_date()
    {
        Loan loan = Live((l, day) => DueDates(l).Contains(day) ? [Pay(day, DueOn(l, day))] : [], Disbursed.AddMonths(13));

        Assert.Equal(LoanStatus.PaidOff, loan.Status);
        Assert.Empty(loan.Charges ?? []);
        Assert.Equal([LoanEventType.LoanDisbursed, .. Enumerable.Repeat(LoanEventType.RepaymentReceived, 12), LoanEventType.LoanPaidOff], Types(loan));
        Assert.Equal(loan.Schedule!.Installments[^1].DueDate, loan.Events![^1].On);
        Assert.Equal(loan.Schedule.Installments.Sum(i => i.Total), loan.Repayments!.Sum(r => r.Amount));
        BehaviourHistory history = BehaviourScore.Of([loan], Disbursed.AddMonths(13));
        Assert.Equal((12, 12, 0), (history.InstallmentsDue, history.PaidOnTime, history.WorstDaysPastDue));
        Assert.True(history.Score >= 700, $"A year paid on time scores {history.Score}.");
    }

    [Fact]
    public void Paid_ten_days_late_every_month_it_pays_penalty_falls_overdue_and_is_cured_each_time_and_still_pays_off()
    {
        Loan loan = Live((l, day) => DueDates(l).Contains(day.AddDays(-10)) ? [Pay(day, DueOn(l, day))] : [], Disbursed.AddMonths(13));

        Assert.Equal(LoanStatus.PaidOff, loan.Status);
        // Days 4 to 9 past due (the 3 grace days free, paid on the morning of day 10), on each of 12 installments.
        Assert.Equal(12 * 6, loan.Charges!.Count(c => c.Component == Component.Penalty));
        LoanEventType[] types = Types(loan);
        Assert.Equal(12, types.Count(t => t == LoanEventType.LoanOverdue));
        Assert.Equal(11, types.Count(t => t == LoanEventType.LoanCured)); // the twelfth payment pays it off instead
        Assert.Equal(LoanEventType.LoanPaidOff, types[^1]);
        Assert.All(loan.Events!.Where(e => e.Type == LoanEventType.LoanOverdue), e => Assert.Equal(1, e.DaysPastDue));
        Assert.Equal(loan.Schedule!.Installments.Sum(i => i.Total) + loan.Charges!.Sum(c => c.Amount), loan.Repayments!.Sum(r => r.Amount));

        double late = BehaviourScore.Of([loan], Disbursed.AddMonths(13)).Score!.Value;
        double onTime = BehaviourScore.Of([Live((l, day) => DueDates(l).Contains(day) ? [Pay(day, DueOn(l, day))] : [], Disbursed.AddMonths(13))], Disbursed.AddMonths(13)).Score!.Value;
        Assert.True(late < onTime - 100, $"Late every month scores {late}, on time {onTime}.");
    }

    [Fact]
    public void Paying_six_tenths_of_each_installment_leaves_arrears_growing_and_the_loan_overdue_at_the_end()
    {
        Loan loan = Live((l, day) => DueDates(l).Contains(day) ? [Pay(day, decimal.Round(l.Schedule!.Installments[0].Total * 0.6m, 2))] : [], Disbursed.AddMonths(12).AddDays(20));

        Assert.Equal(LoanStatus.Overdue, loan.Status);
        Assert.DoesNotContain(LoanEventType.LoanPaidOff, Types(loan));
        LoanPosition end = LoanSweep.LedgerOf(loan, Product).PositionOn(Disbursed.AddMonths(12).AddDays(20));
        decimal scheduled = loan.Schedule!.Installments.Sum(i => i.Total);
        // About four tenths of the schedule is still owed, plus the penalties on it.
        Assert.InRange(end.Outstanding, scheduled * 0.4m, scheduled * 0.4m + loan.Charges!.Sum(c => c.Amount));
        // Each payment covers six tenths of an installment (less the penalties), so the oldest unpaid one slips back by
        // about four tenths of a month every month: five to six months by the end.
        Assert.InRange(loan.DaysPastDue, 150, 200);
        // The second payment still catches up on the first installment (cured for its due day); from the third on it never does.
        Assert.Equal([LoanEventType.LoanOverdue, LoanEventType.LoanCured, LoanEventType.LoanOverdue],
            Types(loan).Where(t => t is LoanEventType.LoanOverdue or LoanEventType.LoanCured));
    }

    [Fact]
    public void A_prepayment_in_month_four_shortening_the_term_pays_the_loan_off_months_early_for_less_interest()
    {
        DateOnly prepaidOn = Disbursed.AddMonths(3).AddDays(5);
        Loan loan = Live((l, day) =>
            day == prepaidOn ? [Pay(day, 5_000m, PrepaymentMode.ReduceTerm)]
            : day >= Disbursed.AddMonths(1) && LoanSweep.LedgerOf(l, Product).PositionOn(day).Balances.Any(b => b.DueDate == day && b.Total > 0) ? [Pay(day, DueOn(l, day))]
            : [], Disbursed.AddMonths(13));

        Assert.Equal(LoanStatus.PaidOff, loan.Status);
        Assert.Empty(loan.Charges ?? []);
        LoanEventRecord paidOff = loan.Events!.Single(e => e.Type == LoanEventType.LoanPaidOff);
        Assert.True(paidOff.On < loan.Schedule!.Installments[^1].DueDate.AddMonths(-3), $"Paid off on {paidOff.On}, not months early.");
        decimal interestPaid = loan.Repayments!.Sum(r => r.Amount) - 12_000m;
        Assert.True(interestPaid < loan.Schedule.Installments.Sum(i => i.Interest) - 300m, $"Interest paid {interestPaid} is not much less than scheduled.");
    }

    [Fact]
    public void Defaulting_after_two_payments_it_is_proposed_for_write_off_past_180_days_and_written_off_to_nothing_owed()
    {
        DateOnly secondDue = NewLoan().Schedule!.Installments[1].DueDate;
        WriteOffCandidate? proposed = null;
        Loan loan = Live(
            (l, day) => DueDates(l).Contains(day) && day <= secondDue ? [Pay(day, DueOn(l, day))] : [],
            Disbursed.AddMonths(13),
            (l, day) =>
            {
                // The monthly proposal on the 1st; the admin approves it the same day.
                if (day.Day != 1 || WriteOffs.Assess(l, day) is not { } candidate)
                {
                    return l;
                }

                proposed = candidate;
                return WriteOffs.Apply(l, day, $"{day:yyyy-MM}", "admin-1").Value!;
            });

        Assert.NotNull(proposed);
        Assert.True(proposed.DaysPastDue > 180);
        Assert.Null(WriteOffs.Assess(NewLoan(), NewLoan().Schedule!.Installments[0].DueDate.AddDays(180))); // 180 days is not beyond 180
        Assert.NotNull(WriteOffs.Assess(NewLoan(), NewLoan().Schedule!.Installments[0].DueDate.AddDays(181)));
        Assert.Equal(LoanStatus.WrittenOff, loan.Status);
        LoanEventRecord writtenOff = loan.Events!.Single(e => e.Type == LoanEventType.LoanWrittenOff);
        Assert.Equal((proposed.Owed, proposed.DaysPastDue), (writtenOff.Amount, writtenOff.DaysPastDue));
        LoanPosition after = LoanSweep.LedgerOf(loan, Product).PositionOn(Disbursed.AddMonths(13));
        Assert.Equal((0m, proposed.Owed), (after.Outstanding, after.WrittenOff));
        // Nothing accrues after the write-off, and the loan takes no more payments.
        Assert.DoesNotContain(loan.Charges!, c => c.Date > writtenOff.On);
        Assert.False(LoanRepayments.Record(loan, Pay(Disbursed.AddMonths(13), 100m)).Succeeded);
        Assert.Equal(BehaviourScore.Floor, BehaviourScore.Of([loan], Disbursed.AddMonths(13)).Score);
    }

    [Fact]
    public void A_write_off_is_refused_for_a_loan_cured_since_the_proposal()
    {
        Loan loan = Live((l, day) => [], NewLoan().Schedule!.Installments[0].DueDate.AddDays(200));
        DateOnly day = loan.LastSweptOn!.Value;
        Assert.NotNull(WriteOffs.Assess(loan, day));

        Loan cured = LoanRepayments.Record(loan, Pay(day, DueOn(loan, day))).Value!.Loan;

        Outcome<Loan> refused = WriteOffs.Apply(cured, day, "2026-09", "admin-1");
        Assert.Equal("write-off-beyond-threshold", Assert.Single(refused.Errors).Rule);
    }

    [Fact]
    public void Restructured_after_two_missed_months_it_repays_the_new_schedule_and_the_arrears_and_is_paid_off()
    {
        DateOnly restructuredOn = NewLoan().Schedule!.Installments[3].DueDate.AddDays(5);
        Loan loan = Live(
            (l, day) => day <= restructuredOn
                ? (DueDates(l).Take(2).Contains(day) ? [Pay(day, DueOn(l, day))] : [])
                : LoanSweep.LedgerOf(l, Product).ScheduleOn(day).Any(i => i.DueDate == day) && DueOn(l, day) > 0 ? [Pay(day, DueOn(l, day))] : [],
            restructuredOn.AddMonths(13),
            (l, day) => day == restructuredOn
                ? LoanRestructurings.Record(l, new AgreedRestructuring("rs-1", new RestructuringRequest(day, 0.12m, 12, RepaymentMethod.EqualInstallment, CapitaliseArrears: false), "staff-1")).Value!
                : l);

        Assert.Equal(LoanStatus.PaidOff, loan.Status);
        LoanEventType[] types = Types(loan);
        Assert.Contains(LoanEventType.LoanRestructured, types);
        Assert.Equal(LoanEventType.LoanPaidOff, types[^1]);
        LoanEventRecord restructured = loan.Events!.Single(e => e.Type == LoanEventType.LoanRestructured);
        // The new schedule carries all principal not repaid: ten installments' worth, two having been paid.
        Assert.Equal(12_000m - loan.Schedule!.Installments.Take(2).Sum(i => i.Principal), restructured.Amount);
        IReadOnlyList<Installment> after = LoanSweep.LedgerOf(loan, Product).ScheduleOn(restructuredOn.AddDays(1));
        Assert.Equal(4 + 12, after.Count); // four old installments had fallen due; twelve new ones numbered 13 to 24
        Assert.Equal(Enumerable.Range(13, 12), after.Skip(4).Select(i => i.Number));
        Assert.True(loan.Events!.Single(e => e.Type == LoanEventType.LoanPaidOff).On > restructuredOn.AddMonths(11));
    }

    [Fact]
    public void A_restructuring_outside_the_product_or_on_a_closed_loan_is_refused_and_changes_nothing()
    {
        Loan loan = NewLoan();
        DateOnly day = Disbursed.AddDays(40);
        Outcome<Loan> tooDear = LoanRestructurings.Record(loan, new AgreedRestructuring("rs", new RestructuringRequest(day, 0.30m, 36, RepaymentMethod.EqualInstallment, false), "staff"));
        Assert.Equal(["annualRate", "termMonths"], tooDear.Errors.Select(e => e.Field));

        Loan paidOff = loan with { Status = LoanStatus.PaidOff };
        Assert.Equal("transition-legal", Assert.Single(LoanRestructurings.Record(paidOff, new AgreedRestructuring("rs", new RestructuringRequest(day, 0.12m, 12, RepaymentMethod.EqualInstallment, false), "staff")).Errors).Rule);
    }

    [Fact]
    public void A_customer_with_nothing_due_yet_has_no_behaviour_score_and_one_behind_today_scores_below_one_who_is_not()
    {
        Assert.Null(BehaviourScore.Of([NewLoan()], Disbursed.AddDays(10)).Score);
        Assert.Null(BehaviourScore.Of([], Disbursed).Score);

        DateOnly firstDue = NewLoan().Schedule!.Installments[0].DueDate;
        Loan behind = Live((l, day) => [], firstDue.AddDays(10));
        Loan current = Live((l, day) => DueDates(l).Contains(day) ? [Pay(day, DueOn(l, day))] : [], firstDue.AddDays(10));
        BehaviourHistory late = BehaviourScore.Of([behind], firstDue.AddDays(10)), onTime = BehaviourScore.Of([current], firstDue.AddDays(10));
        Assert.Equal((1, 0, 10, 10), (late.InstallmentsDue, late.PaidOnTime, late.CurrentDaysPastDue, late.WorstDaysPastDue));
        Assert.True(late.Score < onTime.Score - 100, $"{late.Score} behind, {onTime.Score} on time.");
    }
}
