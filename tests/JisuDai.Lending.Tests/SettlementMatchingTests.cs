using JisuDai.Lending.Payments;

namespace JisuDai.Lending.Tests;

/// <summary>The statement against the books, line by line: exact matches count, everything else is named.</summary>
public sealed class SettlementMatchingTests
{
    static readonly DateOnly Day = new(2026, 3, 2);

    [Fact]
    public void Each_line_matches_once_and_a_duplicate_a_shifted_date_and_each_side_missing_are_findings()
    {
        SettlementLine[] statement =
        [
            new(MovementKind.Payment, "pmt1", "4201", 100m, Day),
            new(MovementKind.Payment, "pmt1", "4201", 100m, Day),
            new(MovementKind.Payment, "pmt2", "4202", 50m, Day),
            new(MovementKind.Payout, "po1", "1331", 9_800m, Day),
            new(MovementKind.Payout, "po-stray", "1332", 9_800m, Day),
        ];
        BookedMovement[] booked =
        [
            new(MovementKind.Payment, "pmt1", 100m, Day, "pmt1.c"),
            new(MovementKind.Payment, "pmt2", 50m, Day.AddDays(-1), "pmt2.c"),
            new(MovementKind.Payout, "po1", 9_800m, Day, "loan-1.c"),
            new(MovementKind.Payment, "pmt3", 70m, Day, "pmt3.c"),
            new(MovementKind.Payment, "pmt-yesterday", 70m, Day.AddDays(-1), "pmt4.c"),
        ];

        (int matched, IReadOnlyList<ReconciliationFinding> findings) = SettlementMatching.Match(Day, statement, booked);

        Assert.Equal(2, matched);
        Assert.Equal(
            [(ReconciliationIssue.Duplicate, "pmt1"), (ReconciliationIssue.DateMismatch, "pmt2"), (ReconciliationIssue.PayoutWithoutLoan, "po-stray"), (ReconciliationIssue.MissingTheirs, "pmt3")],
            findings.Select(f => (f.Issue, f.Reference)));
    }

    [Fact]
    public void The_same_reference_as_a_payment_and_as_a_payout_are_two_movements()
    {
        (int matched, IReadOnlyList<ReconciliationFinding> findings) = SettlementMatching.Match(Day,
            [new(MovementKind.Payment, "x1", "4201", 1m, Day), new(MovementKind.Payout, "x1", "1331", 2m, Day)],
            [new(MovementKind.Payment, "x1", 1m, Day, "p"), new(MovementKind.Payout, "x1", 2m, Day, "l")]);

        Assert.Equal(2, matched);
        Assert.Empty(findings);
    }
}
