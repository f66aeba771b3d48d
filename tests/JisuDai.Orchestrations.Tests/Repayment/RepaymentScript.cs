using JisuDai.App.Loans;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Schedules;
using JisuDai.Orchestrations.Repayment;
using JisuDai.Orchestrations.Tests.Harness;

namespace JisuDai.Orchestrations.Tests.Repayment;

/// <summary>
/// The repayment lifecycle's test data: a three-installment loan disbursed on 3 March 2025, on the production calendar
/// (one-day days, reminders at 09:00 in Asia/Shanghai, which is UTC+8 all year).
/// </summary>
static class RepaymentScript
{
    public const string Name = nameof(RepaymentOrchestrator);
    public const string CustomerId = "cust-0042";
    public const string LoanId = "loan-5521";
    public const string AppId = "app-7f3c";

    public static readonly DateOnly Disbursed = new(2025, 3, 3);

    /// <summary>Midnight at the start of 3 March 2025 in Shanghai.</summary>
    public static readonly DateTime ShanghaiMidnight = new(2025, 3, 2, 16, 0, 0, DateTimeKind.Utc);

    public static readonly RepaymentCalendar Calendar = new(Disbursed, ShanghaiMidnight, TimeSpan.FromDays(1), TimeSpan.FromHours(9));

    /// <summary>10:30 in Shanghai on the disbursement day: the lifecycle starts right after the payout.</summary>
    public static readonly DateTime Start = Utc(3, 3, 2, 30);

    /// <summary>The installments' due dates: the 3rd of each following month.</summary>
    public static readonly DateOnly Due1 = new(2025, 4, 3), Due2 = new(2025, 5, 3), Due3 = new(2025, 6, 3);

    public const decimal InstallmentAmount = 3_456.78m;

    public static RepaymentInput Input(int installment = 1) => new(CustomerId, LoanId, AppId, installment, Calendar);

    /// <summary>An instant in 2025, in UTC (09:00 in Shanghai is 01:00 UTC).</summary>
    public static DateTime Utc(int month, int day, int hour = 1, int minute = 0) => new(2025, month, day, hour, minute, 0, DateTimeKind.Utc);

    public static DateOnly Day(int month, int day) => new(2025, month, day);

    /// <summary>The calls as short words: "Check(1@2025-03-03)", "Upcoming(1@2025-03-31,-3)", "Collections(1@2025-04-19,16)" ...</summary>
    public static IReadOnlyList<string> Steps(IEnumerable<ActivityCall> calls) => calls.Select(Step).ToList();

    public static string Step(ActivityCall call) => call.Name switch
    {
        nameof(CheckInstallmentActivity) => Check(call.Input<InstallmentOnDay>()),
        nameof(FollowUpInstallmentActivity) => FollowUp(call.Input<FollowUpStep>()),
        _ => call.Name,
    };

    static string Check(InstallmentOnDay q) => $"Check({q.Loan.Installment}@{q.Day:yyyy-MM-dd})";

    static string FollowUp(FollowUpStep s) => $"{s.Stage}({s.Loan.Installment}@{s.Day:yyyy-MM-dd},{s.DaysPastDue})";

    /// <summary>The follow-up steps taken, in order.</summary>
    public static IReadOnlyList<ActivityCall> FollowUps(IEnumerable<ActivityCall> calls) =>
        calls.Where(c => c.Name == nameof(FollowUpInstallmentActivity)).ToList();
}

/// <summary>
/// A loan's schedule and ledger as the real <see cref="InstallmentFollowUp"/> reads them: the activities answer from
/// it, and a test changes it (a payment, a write-off) before it raises the wake-up, or without raising it.
/// </summary>
sealed class ScriptedLoan
{
    readonly List<(int Number, DateOnly Due)> schedule;
    readonly HashSet<int> paid = [];

    public ScriptedLoan(params (int Number, DateOnly Due)[] installments) => schedule = [.. installments];

    /// <summary>Installments 1 to 3, due 3 April, 3 May and 3 June 2025.</summary>
    public static ScriptedLoan ThreeMonths() => new((1, RepaymentScript.Due1), (2, RepaymentScript.Due2), (3, RepaymentScript.Due3));

    /// <summary>Paid off or written off.</summary>
    public bool Closed { get; private set; }

    public ScriptedLoan Pay(params int[] numbers)
    {
        paid.UnionWith(numbers);
        return this;
    }

    public ScriptedLoan Close()
    {
        Closed = true;
        return this;
    }

    /// <summary>Replaces the schedule (a restructuring), keeping what was paid.</summary>
    public ScriptedLoan Reschedule(params (int Number, DateOnly Due)[] installments)
    {
        schedule.Clear();
        schedule.AddRange(installments);
        return this;
    }

    /// <summary>What the real follow-up answers: the installment asked for or the next one the schedule has.</summary>
    public InstallmentState StateOf(int installment, DateOnly day)
    {
        if (Closed)
        {
            return new InstallmentState(installment, true, RepaymentScript.Disbursed, true, true, 0m);
        }

        return schedule.Where(i => i.Number >= installment).OrderBy(i => i.Number).Cast<(int Number, DateOnly Due)?>().FirstOrDefault() is { } next
            ? new InstallmentState(next.Number, true, next.Due, paid.Contains(next.Number), false, paid.Contains(next.Number) ? 0m : RepaymentScript.InstallmentAmount)
            : new InstallmentState(installment, false, day, true, false, 0m);
    }

    /// <summary>A recorder for this loan's lifecycle, started at <paramref name="startAt"/> (<see cref="RepaymentScript.Start"/> otherwise).</summary>
    public HistoryRecorder Recorder(DateTime? startAt = null) =>
        new HistoryRecorder(new RepaymentOrchestrator(), RepaymentScript.Name, startAt ?? RepaymentScript.Start, RepaymentOrchestrator.InstanceIdOf(RepaymentScript.LoanId))
            .OnActivity<InstallmentOnDay, InstallmentState>(nameof(CheckInstallmentActivity), q => StateOf(q.Loan.Installment, q.Day))
            .OnActivity<FollowUpStep, InstallmentState>(nameof(FollowUpInstallmentActivity), s => StateOf(s.Loan.Installment, s.Day));
}
