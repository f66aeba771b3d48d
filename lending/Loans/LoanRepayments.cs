using JisuDai.Lending.Ledger;
using JisuDai.Lending.Products;

namespace JisuDai.Lending.Loans;

/// <summary>A repayment recorded on a loan, with the ledger it now replays to.</summary>
/// <param name="Loan">The loan with the repayment and its events.</param>
/// <param name="Ledger">The loan's ledger, the repayment included.</param>
public sealed record RepaymentRecorded(Loan Loan, LoanLedger Ledger);

/// <summary>Records repayments and prepayments on a loan, and refunds of a paid-off loan's credit.</summary>
public static class LoanRepayments
{
    /// <summary>
    /// <paramref name="loan"/> with <paramref name="repayment"/> recorded and RepaymentReceived raised; when nothing
    /// more is owed after it, the loan is paid off and LoanPaidOff raised too; when it pays everything past due on an overdue
    /// loan, the loan is current again and LoanCured raised. Errors (a closed loan, a date before
    /// disbursement, an amount not in fen) change nothing.
    /// </summary>
    public static Outcome<RepaymentRecorded> Record(Loan loan, RecordedRepayment repayment)
    {
        if (loan.Status is LoanStatus.PaidOff or LoanStatus.WrittenOff || !loan.IsPaidOut)
        {
            string state = loan.Status switch { LoanStatus.PaidOff => "paid off", LoanStatus.WrittenOff => "written off", LoanStatus.Cancelled => "cancelled (its payout failed)", _ => "not paid out yet" };
            return Outcome<RepaymentRecorded>.Failure([new DomainError("loan", "loan-open", $"The loan is {state}; it takes no payments.")]);
        }

        // The fee on principal repaid early is the product's rate as it is now, kept with the repayment so it replays the same.
        LoanProduct product = loan.ProductTerms();
        DateOnly recordedOn = Calendar.LenderCalendar.DateOf(repayment.RecordedAt);
        if (recordedOn.DayNumber - repayment.PaidOn.DayNumber > product.MaxBackdatedDays)
        {
            return Outcome<RepaymentRecorded>.Failure([new DomainError("date", "value-date-within-bound",
                $"A payment recorded on {recordedOn:yyyy-MM-dd} is value-dated {ValueDating.EarliestValueDate(product, recordedOn):yyyy-MM-dd} at the earliest ({product.MaxBackdatedDays} days back, the product's bound).")]);
        }

        loan = LedgerSequence.Numbered(loan);
        repayment = repayment with { PrepaymentFeeRate = product.PrepaymentFeeRate };
        LoanLedger ledger = LoanSweep.LedgerOf(loan, product);
        Outcome<LoanLedger> recorded = ledger.Record(repayment.ToTransaction());
        if (!recorded.Succeeded)
        {
            return Outcome<RepaymentRecorded>.Failure(recorded.Errors);
        }

        // Value-dated before days already swept: the charges since are taken back first, the payment applied to the loan
        // as it stood on its value date, and what the sweep would have charged with it in place charged again; all appended.
        ValueDatedCorrection correction = ValueDating.Correction(loan, repayment, product);
        int next = LedgerSequence.Last(loan) + 1;
        var reversals = correction.Reversals.Select((r, n) => r with { Sequence = next + n }).ToList();
        repayment = repayment with { Sequence = next + reversals.Count };
        var recharges = correction.Recharges.Select((c, n) => c with { Sequence = repayment.Sequence + 1 + n }).ToList();
        foreach (LoanTransaction transaction in reversals.Append(repayment.ToTransaction()).Concat(recharges))
        {
            ledger = ledger.Record(transaction).Value ?? throw new InvalidOperationException($"{transaction.Id} does not fit loan {loan.Id}.");
        }

        Loan updated = loan with { Repayments = [.. loan.Repayments ?? [], repayment] };
        if (reversals.Count > 0)
        {
            updated = (updated with { ChargeReversals = [.. loan.ChargeReversals ?? [], .. reversals], Charges = [.. loan.Charges ?? [], .. recharges] })
                .Raise(LoanEventType.ChargesReversed, repayment.PaidOn, correction.TakenBack, repayment.Reference);
        }

        updated = updated.Raise(LoanEventType.RepaymentReceived, repayment.PaidOn, repayment.Amount, repayment.Reference);
        // A payment dated back before days already swept is judged as of the last of them.
        DateOnly asOf = loan.LastSweptOn is { } swept && swept > repayment.PaidOn ? swept : repayment.PaidOn;
        LoanPosition position = ledger.PositionOn(asOf);
        if (position.Settled && updated.Move(LoanEvent.PaidOff) is { Succeeded: true } paidOff)
        {
            updated = paidOff.Value!.Raise(LoanEventType.LoanPaidOff, repayment.PaidOn, 0m) with { DaysPastDue = 0 };
        }
        else if (loan.Status == LoanStatus.Overdue && Delinquency.Arrears.Assess(position, product.Delinquency).DaysPastDue == 0
            && updated.Move(LoanEvent.Cured) is { Succeeded: true } cured)
        {
            // Everything past due is paid: current again now, not at the night's sweep.
            updated = cured.Value!.Raise(LoanEventType.LoanCured, asOf, 0m) with { DaysPastDue = 0 };
        }

        return Outcome<RepaymentRecorded>.Success(new RepaymentRecorded(updated, ledger));
    }

    /// <summary>
    /// <paramref name="loan"/> with <paramref name="refund"/> of its credit recorded and CreditRefunded raised; a refund
    /// recorded before is answered as it is. Only a paid-off loan's credit is given back (an open loan's credit settles
    /// installments as they fall due), and never more than it holds.
    /// </summary>
    public static Outcome<Loan> RecordRefund(Loan loan, RecordedRefund refund)
    {
        if ((loan.Refunds ?? []).Any(r => r.RefundNo == refund.RefundNo))
        {
            return Outcome<Loan>.Success(loan);
        }

        if (loan.Status != LoanStatus.PaidOff)
        {
            return Outcome<Loan>.Failure([new DomainError("loan", "loan-paid-off", $"The loan is {loan.Status}; credit is given back only once it is paid off.")]);
        }

        loan = LedgerSequence.Numbered(loan);
        refund = refund with { Sequence = LedgerSequence.Last(loan) + 1 };
        Outcome<LoanLedger> recorded = LoanSweep.LedgerOf(loan, loan.ProductTerms()).Record(refund.ToTransaction());
        return recorded.Succeeded
            ? Outcome<Loan>.Success((loan with { Refunds = [.. loan.Refunds ?? [], refund] }).Raise(LoanEventType.CreditRefunded, refund.On, refund.Amount, refund.RefundNo))
            : Outcome<Loan>.Failure(recorded.Errors);
    }
}
