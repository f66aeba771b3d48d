using System.CommandLine;
using JisuDai.Tools.Bench;
using JisuDai.Tools.Payments;
using JisuDai.Tools.Risk;
using JisuDai.Tools.Schedule;
using JisuDai.Tools.Staff;

var instances = new Option<int>("--instances") { Description = "Orchestrations to run in the throughput benchmark.", DefaultValueFactory = _ => 200 };
var startupRuns = new Option<int>("--startup-runs") { Description = "Cold starts to time.", DefaultValueFactory = _ => 5 };
var lending = new Command("lending", "Measures the lending domain's computations and prints one JSON object.");
lending.SetAction(_ => Console.Out.WriteLine(LendingBenchmarks.Run()));
var samples = new Option<int>("--samples") { Description = "Single-application scores to time.", DefaultValueFactory = _ => 200_000 };
var score = new Command("score", "Measures in-process scoring with the default model and prints one JSON object.") { samples };
score.SetAction(parse => Console.Out.WriteLine(ScoreBenchmarks.Run(Math.Max(1000, parse.GetValue(samples)))));
var decideSamples = new Option<int>("--samples") { Description = "Decisions to time.", DefaultValueFactory = _ => 100_000 };
var decide = new Command("decide", "Measures a full in-process decision with a 200-rule set and prints one JSON object.") { decideSamples };
decide.SetAction(parse => Console.Out.WriteLine(DecideBenchmarks.Run(Math.Max(1000, parse.GetValue(decideSamples)))));
var monitoredDecisions = new Option<int>("--decisions") { Description = "Decisions to add up.", DefaultValueFactory = _ => 1_000_000 };
var monitoring = new Command("monitoring", "Measures the nightly decision metrics (rates, rule hits, PSI and CSI bins) in process and prints one JSON object.") { monitoredDecisions };
monitoring.SetAction(parse => Console.Out.WriteLine(MonitoringBenchmarks.Run(Math.Max(1000, parse.GetValue(monitoredDecisions)))));
var approvalCount = new Option<int>("--applications") { Description = "Applications to submit.", DefaultValueFactory = _ => 200 };
var approvalConcurrency = new Option<int>("--concurrency") { Description = "Applications in flight at once.", DefaultValueFactory = _ => 8 };
var approvals = new Command("approvals", "Measures submit to the decision in the response, to the offer, and decisions per second on a standalone host; prints one JSON object.") { approvalCount, approvalConcurrency };
approvals.SetAction(async (parse, cancellationToken) =>
{
    int n = parse.GetValue(approvalCount), c = parse.GetValue(approvalConcurrency);
    if (n < 1 || c < 1)
    {
        await Console.Error.WriteLineAsync("--applications and --concurrency must be at least 1.");
        return 2;
    }

    await Console.Out.WriteLineAsync(await ApprovalBenchmarks.RunAsync(n, c, cancellationToken));
    return 0;
});
var httpSeconds = new Option<int>("--seconds") { Description = "Seconds to load each endpoint (after 2 s of warm-up).", DefaultValueFactory = _ => 10 };
var httpConnections = new Option<int>("--connections") { Description = "Connections kept busy at once.", DefaultValueFactory = _ => 16 };
var httpBench = new Command("http", "Measures POST /api/risk/score against a minimal endpoint on the same standalone host; prints one JSON object.") { httpSeconds, httpConnections };
httpBench.SetAction(async (parse, cancellationToken) =>
{
    int s = parse.GetValue(httpSeconds), c = parse.GetValue(httpConnections);
    if (s < 1 || c < 1)
    {
        await Console.Error.WriteLineAsync("--seconds and --connections must be at least 1.");
        return 2;
    }

    await Console.Out.WriteLineAsync(await HttpBenchmarks.RunAsync(s, c, cancellationToken));
    return 0;
});
var sweepLoans = new Option<int>("--loans") { Description = "Loans to book and sweep.", DefaultValueFactory = _ => 20_000 };
var sweepOverdue = new Option<int>("--overdue-percent") { Description = "Share of the loans that missed their first installment (the rest paid it); 100 is the worst day.", DefaultValueFactory = _ => 100 };
var sweep = new Command("sweep", "Measures one overdue sweep on Azurite in memory and prints one JSON object.") { sweepLoans, sweepOverdue };
sweep.SetAction(async (parse, cancellationToken) =>
{
    int n = parse.GetValue(sweepLoans), overduePercent = parse.GetValue(sweepOverdue);
    if (n < 1 || overduePercent is < 0 or > 100)
    {
        await Console.Error.WriteLineAsync("--loans must be at least 1 and --overdue-percent from 0 to 100.");
        return 2;
    }

    await Console.Out.WriteLineAsync(await SweepBenchmarks.RunAsync(n, overduePercent, cancellationToken));
    return 0;
});
var paymentNotifications = new Option<int>("--notifications") { Description = "Signed notifications to take.", DefaultValueFactory = _ => 2_000 };
var statementLines = new Option<int>("--statement-lines") { Description = "Lines of the settlement statement to reconcile.", DefaultValueFactory = _ => 100_000 };
var payments = new Command("payments", "Measures taking provider notifications on Azurite and reconciling a statement, and prints one JSON object.") { paymentNotifications, statementLines };
payments.SetAction(async (parse, cancellationToken) =>
{
    int n = parse.GetValue(paymentNotifications), m = parse.GetValue(statementLines);
    if (n < 1 || m < 1)
    {
        await Console.Error.WriteLineAsync("--notifications and --statement-lines must be at least 1.");
        return 2;
    }

    await Console.Out.WriteLineAsync(await PaymentBenchmarks.RunAsync(n, m, cancellationToken));
    return 0;
});
var bench = new Command("bench", "Measures the standalone host on this machine and prints one JSON object.") { instances, startupRuns, lending, score, decide, monitoring, approvals, httpBench, sweep, payments };
bench.SetAction(async (parse, cancellationToken) =>
{
    int n = parse.GetValue(instances), runs = parse.GetValue(startupRuns);
    if (n < 1 || runs < 1)
    {
        await Console.Error.WriteLineAsync("--instances and --startup-runs must be at least 1.");
        return 2;
    }

    await Console.Out.WriteLineAsync(await HostBenchmarks.RunAsync(n, runs, cancellationToken));
    return 0;
});

var root = new RootCommand("jisudai: JisuDai's command-line tools.") { bench, ScheduleCommand.Create(), TrainCommand.Create(), MonitoringCommand.Create(), ModelsCommand.Create(), RulesCommand.Create(), DecisionsCommand.Create(), AuditCommand.Create(), StaffCommand.Create(), PaymentsCommand.Create(), TokenCommand.Create(), JisuDai.Tools.Security.KeysCommand.Create() };
return await root.Parse(args).InvokeAsync();
