using System.Diagnostics;
using System.Text.Json;
using JisuDai.Lending.Delinquency;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Products;
using JisuDai.Lending.Repayments;
using JisuDai.Lending.Schedules;

namespace JisuDai.Tools.Bench;

/// <summary>
/// Micro-benchmarks of the lending domain: each measure runs warm, in batches, and reports the median and
/// the fastest batch's time per operation. Progress on stderr, one JSON object on stdout.
/// </summary>
static class LendingBenchmarks
{
    public static string Run()
    {
        var terms = new ScheduleTerms(300_000m, 0.0435m, 360, RepaymentMethod.EqualInstallment,
            PaymentFrequency.Monthly, DayCountConvention.Actual365Fixed, new DateOnly(2026, 1, 15), 0, 1_500m);
        Measure schedule360 = Time("schedule of 360 installments (equal installment, ACT/365, with APR)", () => RepaymentSchedules.Build(terms));
        RepaymentSchedule built = RepaymentSchedules.Build(terms).Value!;
        Measure apr360 = Time("of which: the APR of those 360 cash flows", () => AnnualPercentageRate.Of(terms, built.Installments));

        RepaymentSchedule loan36 = RepaymentSchedules.Build(terms with { Principal = 36_000m, AnnualRate = 0.18m, TermCount = 36, OriginationFee = 0m }).Value!;
        InstallmentBalance[] balances = loan36.Installments
            .Select(i => new InstallmentBalance(i.Number, i.DueDate, i.Number <= 3 ? 12.5m : 0m, i.Number <= 3 ? 20m : 0m, i.Interest, i.Principal)).ToArray();
        DateOnly paidOn = loan36.Installments[3].DueDate;
        LoanLedger ledger = LoanLedger.Open(loan36, Waterfall.Default, 0.01m)
            .Record(new RepaymentReceived("pay-1", loan36.Installments[0].DueDate, loan36.Installments[0].Total)).Value!
            .Record(new RepaymentReceived("pay-2", loan36.Installments[1].DueDate.AddDays(9), 500m)).Value!
            .Record(new ChargeAssessed("late-fee-2", loan36.Installments[1].DueDate.AddDays(4), 2, Component.Fee, 20m)).Value!;
        DateOnly sweepDay = loan36.Installments[2].DueDate.AddDays(10);
        LoanPosition position = ledger.PositionOn(sweepDay);
        Measure overdueAssess = Time("overdue recomputation for a day from the loan's position: days past due, bucket, penalty, late fees",
            () => (Arrears.Assess(position, DelinquencyPolicy.Default), Arrears.DailyPenalty(position, DelinquencyPolicy.Default), Arrears.LateFees(position, DelinquencyPolicy.Default)));
        Measure overdueReplay = Time("the same including the position's replay from the ledger (36 installments, 3 transactions)",
            () => Arrears.DailyPenalty(ledger.PositionOn(sweepDay), DelinquencyPolicy.Default));
        Measure allocate36 = Time("allocating one payment on a 36-installment loan, 4 installments due (3 with penalty and fee)",
            () => PaymentAllocation.Apply(balances, 3_000m, paidOn, Waterfall.Default));

        return JsonSerializer.Serialize(new
        {
            machine = BenchOutput.Machine,
            schedule360 = schedule360,
            apr360 = apr360,
            allocate36 = allocate36,
            overdueAssess = overdueAssess,
            overdueReplay = overdueReplay,
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
    }

    sealed record Measure(string What, double MedianMicroseconds, double BestMicroseconds, int Batches, int OperationsPerBatch);

    static Measure Time(string what, Func<object> operation)
    {
        // Size a batch to about 20 ms, warm up for a second, then time 30 batches.
        int perBatch = 1;
        for (var probe = Stopwatch.StartNew(); probe.ElapsedMilliseconds < 20; perBatch *= 2)
        {
            probe.Restart();
            for (int i = 0; i < perBatch; i++)
            {
                GC.KeepAlive(operation());
            }
        }

        for (var warm = Stopwatch.StartNew(); warm.ElapsedMilliseconds < 1_000;)
        {
            GC.KeepAlive(operation());
        }

        var batches = new List<double>();
        for (int b = 0; b < 30; b++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < perBatch; i++)
            {
                GC.KeepAlive(operation());
            }

            batches.Add(clock.Elapsed.TotalMicroseconds / perBatch);
        }

        batches.Sort();
        Console.Error.WriteLine($"{what}: median {batches[15]:0.00} µs");
        return new Measure(what, Math.Round(batches[15], 2), Math.Round(batches[0], 2), batches.Count, perBatch);
    }
}
