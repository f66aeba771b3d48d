using JisuDai.Lending.Ledger;

namespace JisuDai.Lending.Loans;

/// <summary>
/// The one order of a loan's ledger entries. A loan document keeps each kind of entry in its own list (repayments,
/// charges, reversals of charges, restructurings, refunds, the write-off); each entry carries its sequence number, and
/// the ledger is rebuilt in that order. Loans recorded before entries were numbered are numbered here in the order
/// their ledger replayed until then (value date; on one day repayments, then charges, restructurings, refunds and the
/// write-off), so a migrated loan replays exactly as it did.
/// </summary>
public static class LedgerSequence
{
    /// <summary>
    /// <paramref name="loan"/> with every entry numbered: entries without a number are numbered after the highest one
    /// already given, in the order described above. A loan whose entries are all numbered is returned as it is.
    /// </summary>
    public static Loan Numbered(Loan loan)
    {
        IReadOnlyList<RecordedRepayment> repayments = loan.Repayments ?? [];
        IReadOnlyList<ChargeAssessed> charges = loan.Charges ?? [];
        IReadOnlyList<ChargeReversed> reversals = loan.ChargeReversals ?? [];
        IReadOnlyList<AgreedRestructuring> restructurings = loan.Restructurings ?? [];
        IReadOnlyList<RecordedRefund> refunds = loan.Refunds ?? [];
        bool writeOffUnnumbered = loan.WriteOff is { Sequence: 0 };
        if (!writeOffUnnumbered && repayments.All(r => r.Sequence != 0) && charges.All(c => c.Sequence != 0) && reversals.All(r => r.Sequence != 0)
            && restructurings.All(r => r.Sequence != 0) && refunds.All(r => r.Sequence != 0))
        {
            return loan;
        }

        // (kind, index in its list, value date), in the order the ledger replayed unnumbered entries.
        var unnumbered = repayments.Select((r, i) => (Kind: 0, Index: i, Date: r.PaidOn, r.Sequence))
            .Concat(charges.Select((c, i) => (Kind: 1, Index: i, c.Date, c.Sequence)))
            .Concat(reversals.Select((r, i) => (Kind: 2, Index: i, r.Date, r.Sequence)))
            .Concat(restructurings.Select((r, i) => (Kind: 3, Index: i, r.Terms.Date, r.Sequence)))
            .Concat(refunds.Select((r, i) => (Kind: 4, Index: i, Date: r.On, r.Sequence)))
            .Concat(loan.WriteOff is { } w ? [(Kind: 5, Index: 0, Date: w.On, w.Sequence)] : [])
            .Where(e => e.Sequence == 0)
            .OrderBy(e => e.Date) // stable: ties keep the kind order above
            .ToList();
        int next = Last(loan) + 1;
        var numbers = new Dictionary<(int Kind, int Index), int>();
        foreach (var entry in unnumbered)
        {
            numbers[(entry.Kind, entry.Index)] = next++;
        }

        int NumberOf(int kind, int index, int sequence) => numbers.TryGetValue((kind, index), out int number) ? number : sequence;
        return loan with
        {
            Repayments = loan.Repayments is null ? null : repayments.Select((r, i) => r with { Sequence = NumberOf(0, i, r.Sequence) }).ToList(),
            Charges = loan.Charges is null ? null : charges.Select((c, i) => c with { Sequence = NumberOf(1, i, c.Sequence) }).ToList(),
            ChargeReversals = loan.ChargeReversals is null ? null : reversals.Select((r, i) => r with { Sequence = NumberOf(2, i, r.Sequence) }).ToList(),
            Restructurings = loan.Restructurings is null ? null : restructurings.Select((r, i) => r with { Sequence = NumberOf(3, i, r.Sequence) }).ToList(),
            Refunds = loan.Refunds is null ? null : refunds.Select((r, i) => r with { Sequence = NumberOf(4, i, r.Sequence) }).ToList(),
            WriteOff = loan.WriteOff is { } writeOff ? writeOff with { Sequence = NumberOf(5, 0, writeOff.Sequence) } : null,
        };
    }

    /// <summary>The highest sequence number among <paramref name="loan"/>'s entries (0, the disbursement's, when none is numbered).</summary>
    public static int Last(Loan loan) =>
        new[]
        {
            (loan.Repayments ?? []).Select(r => r.Sequence).DefaultIfEmpty().Max(),
            (loan.Charges ?? []).Select(c => c.Sequence).DefaultIfEmpty().Max(),
            (loan.ChargeReversals ?? []).Select(r => r.Sequence).DefaultIfEmpty().Max(),
            (loan.Restructurings ?? []).Select(r => r.Sequence).DefaultIfEmpty().Max(),
            (loan.Refunds ?? []).Select(r => r.Sequence).DefaultIfEmpty().Max(),
            loan.WriteOff?.Sequence ?? 0,
        }.Max();

    /// <summary>Every ledger entry of <paramref name="loan"/> (numbered first), in sequence order: the order it was recorded.</summary>
    public static IEnumerable<LoanTransaction> Entries(Loan loan)
    {
        Loan numbered = Numbered(loan);
        return (numbered.Repayments ?? []).Select(r => r.ToTransaction())
            .Concat(numbered.Charges ?? [])
            .Concat(numbered.ChargeReversals ?? [])
            .Concat((numbered.Restructurings ?? []).Select(r => r.ToTransaction()))
            .Concat((numbered.Refunds ?? []).Select(r => r.ToTransaction()))
            .Concat(numbered.WriteOff is { } writeOff ? [writeOff.ToTransaction()] : [])
            .OrderBy(t => t.Sequence);
    }
}
