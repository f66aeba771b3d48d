using CsCheck;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Products;
using JisuDai.Lending.Repayments;
using JisuDai.Lending.Schedules;

namespace JisuDai.Lending.Tests;

/// <summary>Generated loans with transactions of random sizes on random days, for the ledger's properties.</summary>
static class GeneratedLedgers
{
    public static readonly DateOnly Start = new(2026, 1, 15);

    /// <summary>
    /// Loans of every method, frequency and day count. With <paramref name="holdOverpaymentsAsCredit"/> the
    /// transactions are repayments and reversals only and excess money is held as credit, so what is received
    /// maps one-to-one onto the original schedule; otherwise prepayments of both modes and fees are mixed in.
    /// </summary>
    public static Gen<(LoanLedger Ledger, DateOnly Last)> Ledgers(bool holdOverpaymentsAsCredit) =>
        from method in Gen.Enum<RepaymentMethod>()
        from dayCount in Gen.Enum<DayCountConvention>()
        from frequency in Gen.Enum<PaymentFrequency>()
        from term in Gen.Int[1, 36]
        from principalFen in Gen.Long[100_00, 1_000_000_00]
        from feeRate in Gen.Int[0, 300]
        from events in Gen.Select(Gen.Int[0, 1_200], Gen.Long[1, 50_000_00], Gen.Int[0, 4]).Array[0, 16]
        select Build(method, dayCount, frequency, term, principalFen / 100m, feeRate / 10_000m, events, holdOverpaymentsAsCredit);

    static (LoanLedger, DateOnly) Build(RepaymentMethod method, DayCountConvention dayCount, PaymentFrequency frequency, int term,
        decimal principal, decimal feeRate, (int Day, long Fen, int Kind)[] events, bool holdOverpaymentsAsCredit)
    {
        RepaymentSchedule schedule = RepaymentSchedules.Build(new ScheduleTerms(principal, 0.12m, term, method, frequency, dayCount, Start)).Value!;
        LoanLedger ledger = LoanLedger.Open(schedule, Waterfall.Default, feeRate, holdOverpaymentsAsCredit ? null : PrepaymentMode.ReduceTerm);
        DateOnly last = Start;
        for (int i = 0; i < events.Length; i++)
        {
            DateOnly day = Start.AddDays(events[i].Day);
            decimal amount = events[i].Fen / 100m;
            LoanTransaction transaction = (holdOverpaymentsAsCredit ? 0 : events[i].Kind) switch
            {
                1 => new PrepaymentReceived($"t-{i}", day, amount, PrepaymentMode.ReduceTerm, feeRate),
                2 => new PrepaymentReceived($"t-{i}", day, amount, PrepaymentMode.ReduceInstallment, feeRate),
                3 => new ChargeAssessed($"t-{i}", day, 1 + events[i].Day % schedule.Installments.Count, Component.Fee, Math.Min(amount, 50m)),
                _ => new RepaymentReceived($"t-{i}", day, amount, holdOverpaymentsAsCredit ? 0m : feeRate),
            };
            ledger = ledger.Record(transaction).Value!;
            if (events[i].Kind == 4) // reverse this one the next day
            {
                day = day.AddDays(1);
                ledger = ledger.Record(new RepaymentReversed($"rev-{i}", day, $"t-{i}")).Value!;
            }

            last = day > last ? day : last;
        }

        return (ledger, last);
    }
}
