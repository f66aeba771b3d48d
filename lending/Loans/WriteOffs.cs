using JisuDai.Lending.Delinquency;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Products;

namespace JisuDai.Lending.Loans;

/// <summary>A loan proposed for write-off, as it stood on the proposal's date.</summary>
/// <param name="LoanId">The loan.</param>
/// <param name="CustomerId">Its borrower.</param>
/// <param name="DaysPastDue">Days past due.</param>
/// <param name="PrincipalOutstanding">Principal not repaid.</param>
/// <param name="Owed">Everything owed (principal, interest, penalties, fees, less credit): what the write-off would take.</param>
public sealed record WriteOffCandidate(string LoanId, string CustomerId, int DaysPastDue, decimal PrincipalOutstanding, decimal Owed);

/// <summary>
/// Write-offs: which loans are beyond their product's threshold (proposed monthly), and writing one off once an admin
/// approved the proposal. A loan is judged again when the write-off is applied, so one repaid or cured since the
/// proposal is not written off.
/// </summary>
public static class WriteOffs
{
    /// <summary>The loan as a write-off candidate on <paramref name="on"/>, or null when it is not beyond its product's threshold.</summary>
    public static WriteOffCandidate? Assess(Loan loan, DateOnly on)
    {
        if (loan.Schedule is null || !loan.IsPaidOut || loan.Status is LoanStatus.PaidOff or LoanStatus.WrittenOff || on < loan.DisbursedOn)
        {
            return null;
        }

        LoanProduct product = loan.ProductTerms();
        LoanPosition position = LoanSweep.LedgerOf(loan, product).PositionOn(on);
        DelinquencyStatus status = Arrears.Assess(position, product.Delinquency);
        decimal owed = position.Outstanding - position.Credit;
        return status.ProposeWriteOff && owed > 0
            ? new WriteOffCandidate(loan.Id, loan.CustomerId, status.DaysPastDue, position.PrincipalOutstanding, owed)
            : null;
    }

    /// <summary>
    /// <paramref name="loan"/> written off on <paramref name="on"/> under proposal <paramref name="proposalId"/>: everything
    /// owed leaves the balances, the loan is WrittenOff and LoanWrittenOff is raised. A loan no longer beyond the
    /// threshold, or not overdue, is refused.
    /// </summary>
    public static Outcome<Loan> Apply(Loan loan, DateOnly on, string proposalId, string approvedBy)
    {
        if (Assess(loan, on) is not { } candidate)
        {
            return Outcome<Loan>.Failure([new DomainError("loan", "write-off-beyond-threshold", $"Loan {loan.Id} is not beyond its write-off threshold on {on:yyyy-MM-dd}.")]);
        }

        loan = LedgerSequence.Numbered(loan);
        var writeOff = new ApprovedWriteOff(proposalId, approvedBy, on, candidate.Owed, candidate.DaysPastDue, LedgerSequence.Last(loan) + 1);
        Outcome<LoanLedger> recorded = LoanSweep.LedgerOf(loan, loan.ProductTerms()).Record(writeOff.ToTransaction());
        Outcome<Loan> moved = loan.Move(LoanEvent.WrittenOff);
        if (!recorded.Succeeded || !moved.Succeeded)
        {
            return Outcome<Loan>.Failure([.. recorded.Errors, .. moved.Errors]);
        }

        return Outcome<Loan>.Success((moved.Value! with { WriteOff = writeOff, DaysPastDue = candidate.DaysPastDue })
            .Raise(LoanEventType.LoanWrittenOff, on, candidate.Owed, daysPastDue: candidate.DaysPastDue));
    }
}
