using System.Text.Json.Serialization;

namespace JisuDai.Lending.Payments;

/// <summary>Which way money moved: a borrower's payment in, a payout to a borrower, or a refund to one.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MovementKind>))]
public enum MovementKind
{
    /// <summary>A borrower paid us.</summary>
    Payment,

    /// <summary>We paid a borrower.</summary>
    Payout,

    /// <summary>We gave a borrower back money of theirs (a payment the loan could not take, or credit beyond what was owed).</summary>
    Refund,
}

/// <summary>One line of the provider's settlement statement: money that moved, as the provider says.</summary>
/// <param name="Kind">Payment, payout or refund.</param>
/// <param name="Reference">Our order number, transfer id or refund number.</param>
/// <param name="ProviderId">The provider's transaction or transfer id.</param>
/// <param name="Amount">Yuan.</param>
/// <param name="On">The value date, in the lender's time zone.</param>
public sealed record SettlementLine(MovementKind Kind, string Reference, string ProviderId, decimal Amount, DateOnly On);

/// <summary>Money that moved as our books say: a payment recorded, or a loan paid out.</summary>
/// <param name="Kind">Payment, payout or refund.</param>
/// <param name="Reference">Our order number, transfer id or refund number.</param>
/// <param name="Amount">Yuan.</param>
/// <param name="On">The value date, in the lender's time zone.</param>
/// <param name="Holder">The payment's id, or the loan a payout paid out.</param>
public sealed record BookedMovement(MovementKind Kind, string Reference, decimal Amount, DateOnly On, string Holder);

/// <summary>What a reconciliation found wrong with one movement.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReconciliationIssue>))]
public enum ReconciliationIssue
{
    /// <summary>On the statement, not in our books (a payment we did not record).</summary>
    MissingOurs,

    /// <summary>In our books, not on the statement.</summary>
    MissingTheirs,

    /// <summary>On both, for different amounts.</summary>
    AmountMismatch,

    /// <summary>On both, on different value dates.</summary>
    DateMismatch,

    /// <summary>On the statement more than once.</summary>
    Duplicate,

    /// <summary>A payout on the statement with no paid-out loan holding it.</summary>
    PayoutWithoutLoan,
}

/// <summary>One thing a reconciliation found: what, which movement, and both sides' amounts.</summary>
public sealed record ReconciliationFinding(ReconciliationIssue Issue, MovementKind Kind, string Reference, decimal? Ours, decimal? Theirs, string Detail);

/// <summary>
/// Matches the provider's settlement statement for a day against our books line by line, by reference: each
/// statement line and each booked movement is matched at most once, and whatever does not match exactly (amount to the
/// fen, value date) is a finding. Pure: the statement and the books come in, the findings go out.
/// </summary>
public static class SettlementMatching
{
    /// <summary>
    /// The findings of <paramref name="statement"/> against <paramref name="booked"/> for <paramref name="day"/>, and
    /// how many lines matched. A movement booked on another day but on this day's statement is a date mismatch (and not
    /// missing from that day); one booked on this day and on no statement is missing theirs.
    /// </summary>
    public static (int Matched, IReadOnlyList<ReconciliationFinding> Findings) Match(DateOnly day, IReadOnlyList<SettlementLine> statement, IReadOnlyList<BookedMovement> booked)
    {
        var ours = new Dictionary<(MovementKind, string), BookedMovement>(booked.Count);
        foreach (BookedMovement movement in booked)
        {
            ours.TryAdd((movement.Kind, movement.Reference), movement);
        }

        var findings = new List<ReconciliationFinding>();
        var seen = new HashSet<(MovementKind, string)>(statement.Count);
        int matched = 0;
        foreach (SettlementLine line in statement)
        {
            (MovementKind, string) key = (line.Kind, line.Reference);
            if (!seen.Add(key))
            {
                findings.Add(new(ReconciliationIssue.Duplicate, line.Kind, line.Reference, null, line.Amount, $"{line.Reference} is on the statement more than once."));
                continue;
            }

            if (!ours.TryGetValue(key, out BookedMovement? mine))
            {
                findings.Add(line.Kind switch
                {
                    MovementKind.Payout => new(ReconciliationIssue.PayoutWithoutLoan, line.Kind, line.Reference, null, line.Amount, $"Payout {line.Reference} of {line.Amount:0.00} yuan left us, and no paid-out loan holds it."),
                    MovementKind.Refund => new(ReconciliationIssue.MissingOurs, line.Kind, line.Reference, null, line.Amount, $"Refund {line.Reference} of {line.Amount:0.00} yuan left us, and no payment of ours asked for it."),
                    _ => new(ReconciliationIssue.MissingOurs, line.Kind, line.Reference, null, line.Amount, $"Payment {line.Reference} of {line.Amount:0.00} yuan reached us and is in no ledger."),
                });
                continue;
            }

            if (mine.Amount != line.Amount)
            {
                findings.Add(new(ReconciliationIssue.AmountMismatch, line.Kind, line.Reference, mine.Amount, line.Amount, $"{line.Reference}: {mine.Amount:0.00} yuan in our books, {line.Amount:0.00} on the statement."));
            }
            else if (mine.On != line.On)
            {
                findings.Add(new(ReconciliationIssue.DateMismatch, line.Kind, line.Reference, mine.Amount, line.Amount, $"{line.Reference}: value date {mine.On:yyyy-MM-dd} in our books, {line.On:yyyy-MM-dd} on the statement."));
            }
            else
            {
                matched++;
            }
        }

        foreach (BookedMovement mine in booked.Where(b => b.On == day && !seen.Contains((b.Kind, b.Reference))))
        {
            findings.Add(new(ReconciliationIssue.MissingTheirs, mine.Kind, mine.Reference, mine.Amount, null, $"{mine.Reference} of {mine.Amount:0.00} yuan ({mine.Holder}) is in our books and not on the statement."));
        }

        return (matched, findings);
    }
}
