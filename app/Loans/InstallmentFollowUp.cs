using System.Globalization;
using JisuDai.App.Applications;
using JisuDai.App.Payments;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Schedules;

namespace JisuDai.App.Loans;

/// <summary>
/// The repayment lifecycle's steps against the stored loan: where an installment stands (from the loan's ledger on the
/// day), the debit of what is due under the borrower's debit agreement (on the due date, and on the retry days past due
/// while it stays unpaid), reminders through the applicant notifier (keyed by loan, installment and stage, so a retried
/// step sends once) and the hand-over to the collections queue.
/// </summary>
public sealed class InstallmentFollowUp(IDocumentStore<Loan> loans, IApplicantNotifier notifier, ICollectionsQueue collections, DebitDesk debits, RepaymentOptions options)
    : IInstallmentFollowUp
{
    public async Task<InstallmentState> CheckAsync(RepaymentInput loan, DateOnly day, CancellationToken cancellationToken) =>
        (await StateAsync(loan, day, cancellationToken)).State;

    public async Task<InstallmentState> TakeAsync(FollowUpStep step, CancellationToken cancellationToken)
    {
        (InstallmentState state, decimal dueNow) = await StateAsync(step.Loan, step.Day, cancellationToken);
        if (state.LoanClosed || state.Settled || !state.Exists)
        {
            return state;
        }

        if (step.Stage == FollowUpStage.DueToday || (step.Stage == FollowUpStage.Overdue && options.DebitRetryDays.Contains(step.DaysPastDue)))
        {
            await debits.DebitAsync(step.Loan.CustomerId, step.Loan.LoanId, state.Number, step.Day, dueNow, cancellationToken);
        }

        string occurrence = $"{step.Loan.Installment}-{step.Stage}{(step.Stage == FollowUpStage.Overdue ? step.DaysPastDue.ToString(CultureInfo.InvariantCulture) : "")}";
        switch (step.Stage)
        {
            case FollowUpStage.Upcoming or FollowUpStage.DueToday:
                await notifier.NotifyAsync(new ApplicantNotice(step.Loan.ApplicationId, step.Loan.CustomerId, "RepaymentReminder", new Dictionary<string, string>
                {
                    ["amount"] = state.Amount.ToString("0.00", CultureInfo.InvariantCulture),
                    ["dueDate"] = state.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                }, occurrence), cancellationToken);
                break;
            case FollowUpStage.Overdue:
                await notifier.NotifyAsync(new ApplicantNotice(step.Loan.ApplicationId, step.Loan.CustomerId, "PaymentOverdue", new Dictionary<string, string>
                {
                    ["days"] = step.DaysPastDue.ToString(CultureInfo.InvariantCulture),
                    ["amount"] = dueNow.ToString("0.00", CultureInfo.InvariantCulture),
                }, occurrence), cancellationToken);
                break;
            case FollowUpStage.Collections:
                await collections.ReferAsync(new CollectionsReferral($"{step.Loan.LoanId}-{step.Loan.Installment}", step.Loan.LoanId, step.Loan.CustomerId,
                    step.Loan.Installment, step.DaysPastDue, dueNow, step.Day), cancellationToken);
                break;
        }

        return state;
    }

    async Task<(InstallmentState State, decimal DueNow)> StateAsync(RepaymentInput input, DateOnly day, CancellationToken cancellationToken)
    {
        Loan loan = (await loans.FindAsync(input.CustomerId, input.LoanId, cancellationToken))?.Document
            ?? throw new DocumentNotFoundException("Loan", input.CustomerId, input.LoanId);
        if (loan.Status is LoanStatus.PaidOff or LoanStatus.WrittenOff)
        {
            return (new InstallmentState(input.Installment, true, loan.DisbursedOn, true, true, 0m), 0m);
        }

        LoanPosition position = LoanSweep.LedgerOf(loan, loan.ProductTerms()).PositionOn(day < loan.DisbursedOn ? loan.DisbursedOn : day);
        decimal dueNow = position.Balances.Where(b => b.DueDate <= day).Sum(b => b.Total);
        return position.Balances.Where(b => b.Number >= input.Installment).MinBy(b => b.Number) is { } balance
            ? (new InstallmentState(balance.Number, true, balance.DueDate, balance.Total == 0, position.Settled, balance.Total), dueNow)
            : (new InstallmentState(input.Installment, false, day, true, position.Settled, 0m), dueNow);
    }
}
