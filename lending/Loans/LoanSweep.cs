using JisuDai.Lending.Delinquency;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Products;
using JisuDai.Lending.Repayments;

namespace JisuDai.Lending.Loans;

/// <summary>What one day's sweep did to a loan.</summary>
/// <param name="Loan">The loan after the sweep (the same instance when there was nothing to do).</param>
/// <param name="Status">Its delinquency at the end of the day, when the loan was assessed.</param>
/// <param name="NewCharges">Penalty interest and late fees assessed today.</param>
/// <param name="DueNow">What is due at the end of the day (installments due on or before it).</param>
/// <param name="Changed">True when the loan must be written back: a charge, days past due, status or an event changed.</param>
public sealed record SweepResult(Loan Loan, DelinquencyStatus? Status, IReadOnlyList<ChargeAssessed> NewCharges, decimal DueNow = 0, bool Changed = false);

/// <summary>
/// The overdue sweep of one loan for one day, and the ledger a loan document stands for. Pure: the same loan and day
/// give the same result, and a day already swept changes nothing, which is what makes the sweep safe to rerun.
/// </summary>
public static class LoanSweep
{
    /// <summary>The loan's ledger: its schedule, then every entry recorded on it (repayments, charges and their reversals, restructurings, refunds of credit, the write-off) in the order recorded.</summary>
    public static LoanLedger LedgerOf(Loan loan, LoanProduct product)
    {
        LoanLedger ledger = LoanLedger.Open(loan.Schedule ?? throw new ArgumentException($"Loan {loan.Id} has no schedule.", nameof(loan)),
            Waterfall.Default, product.PrepaymentFeeRate);
        foreach (LoanTransaction transaction in LedgerSequence.Entries(loan))
        {
            ledger = ledger.Record(transaction).Value ?? throw new InvalidOperationException($"Loan {loan.Id}'s recorded {transaction.Id} no longer fits its ledger.");
        }

        return ledger;
    }

    /// <summary>
    /// Brings <paramref name="loan"/> up to the end of <paramref name="day"/>: charges the day's penalty interest on each
    /// overdue installment (id <c>penalty-{yyyyMMdd}-{n}</c>) and any late fee not charged yet (<c>late-fee-{n}</c>),
    /// then records days past due and the status: a loan falling past due raises LoanOverdue, one whose arrears were
    /// all paid raises LoanCured, and one with nothing more owed is paid off (LoanPaidOff). Loans paid off, written off,
    /// without a schedule or already swept for the day are left as they are, and so is a loan the day changes nothing on
    /// (most current loans, most days), so the sweep writes only what moved.
    /// </summary>
    public static SweepResult Sweep(Loan loan, LoanProduct product, DateOnly day)
    {
        if (loan.Schedule is null || !loan.IsPaidOut || loan.Status is LoanStatus.PaidOff or LoanStatus.WrittenOff || loan.LastSweptOn >= day || day < loan.DisbursedOn)
        {
            return new SweepResult(loan, null, []);
        }

        loan = LedgerSequence.Numbered(loan);
        LoanLedger ledger = LedgerOf(loan, product);
        LoanPosition position = ledger.PositionOn(day);
        if (position.Settled)
        {
            // Repaid by credit falling due, or by a payment recorded before the status followed.
            Loan paidOff = (loan.Move(LoanEvent.PaidOff).Value ?? loan).Raise(LoanEventType.LoanPaidOff, day, 0m) with { DaysPastDue = 0, LastSweptOn = day };
            return new SweepResult(paidOff, Arrears.Assess(position, product.Delinquency), [], 0m, Changed: true);
        }

        var recorded = (loan.Charges ?? []).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        int next = LedgerSequence.Last(loan) + 1;
        var charges = Arrears.DailyPenalty(position, product.Delinquency)
            .Select(p => new ChargeAssessed($"penalty-{day:yyyyMMdd}-{p.Installment}", day, p.Installment, Component.Penalty, p.Amount))
            .Concat(Arrears.LateFees(position, product.Delinquency)
                .Select(f => new ChargeAssessed($"late-fee-{f.Installment}", day, f.Installment, Component.Fee, f.Amount)))
            .Where(c => c.Amount > 0 && !recorded.Contains(c.Id))
            .Select((c, n) => c with { Sequence = next + n })
            .ToList();
        foreach (ChargeAssessed charge in charges)
        {
            ledger = ledger.Record(charge).Value ?? throw new InvalidOperationException($"Charge {charge.Id} does not fit loan {loan.Id}.");
        }

        LoanPosition end = ledger.PositionOn(day);
        DelinquencyStatus status = Arrears.Assess(end, product.Delinquency);
        decimal dueNow = end.Balances.Where(b => b.DueDate <= day).Sum(b => b.Total);
        Loan updated = loan with { Charges = [.. loan.Charges ?? [], .. charges], DaysPastDue = status.DaysPastDue, LastSweptOn = day };
        if (status.DaysPastDue > 0 && loan.Status != LoanStatus.Overdue)
        {
            updated = (updated.Move(LoanEvent.FellOverdue).Value ?? updated).Raise(LoanEventType.LoanOverdue, day, dueNow, daysPastDue: status.DaysPastDue);
        }
        else if (status.DaysPastDue == 0 && loan.Status == LoanStatus.Overdue)
        {
            updated = (updated.Move(LoanEvent.Cured).Value ?? updated).Raise(LoanEventType.LoanCured, day, 0m);
        }

        bool changed = charges.Count > 0 || status.DaysPastDue != loan.DaysPastDue || updated.Status != loan.Status;
        return changed ? new SweepResult(updated, status, charges, dueNow, Changed: true) : new SweepResult(loan, status, [], dueNow);
    }
}
