using System.Diagnostics;
using Azure.Data.Tables;
using JisuDai.Adapters.Events;
using JisuDai.Adapters.Loans;
using JisuDai.Adapters.Storage;
using JisuDai.App.Loans;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using JisuDai.Lending.Schedules;
using JisuDai.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace JisuDai.Tools.Bench;

/// <summary>
/// <c>jisudai bench sweep --loans N [--overdue-percent P]</c>: books N twelve-month loans on a fresh Azurite in memory,
/// P% of them (default all: the worst day, every loan charged and falling overdue) five days past an unpaid first
/// installment and the rest having paid it, then times one overdue sweep over them and a rerun of the same day. One JSON
/// object on stdout.
/// </summary>
static class SweepBenchmarks
{
    public static async Task<string> RunAsync(int count, int overduePercent, CancellationToken cancellationToken)
    {
        // Azurite in memory: on disk it re-serialises its whole table database every 5 s, which at 100,000 loans is
        // most of the time measured and nothing Azure storage does.
        await using AzuriteServer azurite = await JisuDai.Tests.AzuriteServer.StartAsync();
        string connection = azurite.ConnectionString;
        var tables = new TableServiceClient(connection);
        var loans = new TableDocumentStore<Loan>(tables, "benchloans", DocumentKinds.LoanTables);

        LoanProduct product = BuiltInProducts.Express;
        var disbursed = new DateOnly(2026, 1, 15);
        RepaymentSchedule schedule = Offers.Price(product, Offers.TermsFor(product, 12_000m, 12, 0.18m), disbursed).Value!.Schedule;
        Console.Error.WriteLine($"Booking {count:N0} loans...");
        var seeding = Stopwatch.StartNew();
        int booked = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            string customer = $"bench{i:000000}";
            // overduePercent loans in each hundred missed their first installment; the others paid it on time.
            RecordedRepayment[] paid = i % 100 < overduePercent ? []
                : [new RecordedRepayment($"pay-{i}", schedule.Installments[0].DueDate, schedule.Installments[0].Total, DateTimeOffset.UnixEpoch)];
            var loan = new Loan($"loan-{i}.{customer}", customer, $"app-{i}.{customer}", 12_000m, LoanStatus.Active, disbursed, product.Code, schedule, $"tr-{i}", paid);
            await loans.CreateAsync(loan, ct);
            if (Interlocked.Increment(ref booked) % Math.Max(1, count / 10) == 0)
            {
                Console.Error.WriteLine($"booked {booked:N0}/{count:N0}");
            }
        });
        double seedSeconds = seeding.Elapsed.TotalSeconds;

        var sweep = new OverdueSweep(loans, new LoanEventOutbox(tables), new TableSweepProgress(tables), new TableSweepQuarantine(tables), new JisuDai.Adapters.Staff.TableStaffAlerts(tables), TimeProvider.System, NullLogger<OverdueSweep>.Instance);
        DateOnly day = schedule.Installments[0].DueDate.AddDays(5);
        Console.Error.WriteLine($"Sweeping {count:N0} loans for {day:yyyy-MM-dd}...");
        var clock = Stopwatch.StartNew();
        SweepSummary summary = await sweep.RunAsync(day, cancellationToken, done =>
        {
            if (done % Math.Max(1, count / 10) == 0)
            {
                Console.Error.WriteLine($"swept {done:N0}/{count:N0}");
            }
        });
        double seconds = clock.Elapsed.TotalSeconds;

        var rerunClock = Stopwatch.StartNew();
        SweepSummary rerun = await sweep.RunAsync(day, cancellationToken);
        double rerunSeconds = rerunClock.Elapsed.TotalSeconds;
        return BenchOutput.Json(new
        {
            machine = BenchOutput.Machine,
            sweep = new
            {
                what = "one overdue sweep: loans read by a scan of the 16 loan tables at once (1,000 a page), each ledger replayed (12 installments), the day's penalty charged, the loans changed written back under their ETags 1,600 at a time as Table transactions of up to 100; Azurite in memory",
                loans = summary.Loans,
                overduePercent,
                changed = summary.Changed,
                totalSeconds = Math.Round(seconds, 2),
                loansPerSecond = Math.Round(summary.Loans / seconds, 0),
                rerunSameDaySeconds = Math.Round(rerunSeconds, 2),
                rerunChanged = rerun.Changed,
                bookingSeconds = Math.Round(seedSeconds, 1),
            },
        });
    }
}
