using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace JisuDai.App.Telemetry;

/// <summary>
/// The app's own spans and measurements, under one name both hosts' OpenTelemetry listens to (<see cref="Name"/>).
/// Recording is cheap and does nothing until a listener subscribes, so the use cases record unconditionally; where it
/// goes (nowhere, the console, OTLP, Azure Monitor) is the hosts' configuration. Tags are few and bounded (outcomes,
/// arms, channels), never an id or anything personal.
/// </summary>
public static class LendingTelemetry
{
    /// <summary>The activity source and meter name.</summary>
    public const string Name = "JisuDai";

    /// <summary>Spans of the app's own steps (a credit decision), inside the host's request or activity span.</summary>
    public static readonly ActivitySource Spans = new(Name);

    static readonly Meter Meter = new(Name);

    static readonly Counter<long> Decisions = Meter.CreateCounter<long>("jisudai.decisions", "{decision}", "Credit decisions made, by outcome and model arm.");

    // Boundaries around the 300 ms decision budget at submission, finer below it.
    static readonly Histogram<double> DecisionDuration = Meter.CreateHistogram("jisudai.decision.duration", "ms", "How long a credit decision took, from the checks to the record written.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 300, 500, 1000, 2000, 5000] });

    static readonly Counter<long> Approvals = Meter.CreateCounter<long>("jisudai.approvals", "{approval}", "Applications approved: by the rules, or by a reviewer.");

    static readonly Counter<long> SweptLoans = Meter.CreateCounter<long>("jisudai.sweep.loans", "{loan}", "Loans the overdue sweep has looked at, as it goes.");

    static readonly Counter<long> Notifications = Meter.CreateCounter<long>("jisudai.notifications", "{message}", "Messages handed to the SMS or email provider, by channel and result (sent, failed).");

    static readonly Counter<long> PaymentNotices = Meter.CreateCounter<long>("jisudai.payment.notifications", "{notification}", "Payment-provider notifications received, by result (applied, refused, not-applied).");

    /// <summary>A credit decision was made (not found recorded) with <paramref name="outcome"/> in <paramref name="arm"/>, in <paramref name="milliseconds"/>.</summary>
    public static void Decided(string outcome, string arm, double milliseconds)
    {
        var tags = new TagList { { "outcome", outcome }, { "arm", arm } };
        Decisions.Add(1, tags);
        DecisionDuration.Record(milliseconds, tags);
        if (outcome == "approve")
        {
            Approvals.Add(1, new KeyValuePair<string, object?>("by", "rules"));
        }
    }

    /// <summary>A reviewer approved a referred application.</summary>
    public static void ApprovedByReviewer() => Approvals.Add(1, new KeyValuePair<string, object?>("by", "reviewer"));

    /// <summary>The overdue sweep looked at <paramref name="loans"/> more loans.</summary>
    public static void Swept(int loans) => SweptLoans.Add(loans);

    /// <summary>A message went to the provider on <paramref name="channel"/> (sms, email); <paramref name="sent"/> false when it refused.</summary>
    public static void Notified(string channel, bool sent) =>
        Notifications.Add(1, new TagList { { "channel", channel }, { "result", sent ? "sent" : "failed" } });

    /// <summary>A payment notification was <paramref name="result"/> (applied, refused, not-applied).</summary>
    public static void PaymentNotice(string result) => PaymentNotices.Add(1, new KeyValuePair<string, object?>("result", result));
}
