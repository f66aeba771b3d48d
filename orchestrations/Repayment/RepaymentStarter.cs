using JisuDai.App.Loans;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace JisuDai.Orchestrations.Repayment;

/// <summary>
/// Starts a loan's repayment lifecycle under the instance id <c>repayment-{loanId}</c>; an instance that exists already
/// is left alone. Its calendar is anchored so that now is now: the disbursement day began as long ago as the share of
/// the day gone by (with one-day days, that is midnight in Asia/Shanghai).
/// </summary>
public sealed class RepaymentStarter(IDocumentStore<Loan> loans, RepaymentOptions options, TimeProvider clock, DurableTaskClient durable) : IRepaymentStarter
{
    /// <inheritdoc />
    public async Task StartAsync(string customerId, string loanId, string applicationId, CancellationToken cancellationToken)
    {
        string instanceId = RepaymentOrchestrator.InstanceIdOf(loanId);
        if (await durable.GetInstanceAsync(instanceId, cancellation: cancellationToken) is not null)
        {
            return;
        }

        Loan loan = (await loans.FindAsync(customerId, loanId, cancellationToken))?.Document
            ?? throw new DocumentNotFoundException("Loan", customerId, loanId);
        DateTimeOffset now = clock.GetUtcNow();
        DateOnly today = LenderCalendar.DateOf(now);
        double dayGone = (now - LenderCalendar.StartOf(today)) / TimeSpan.FromDays(1);
        DateTime anchor = (now - (today.DayNumber - loan.DisbursedOn.DayNumber + dayGone) * options.DayLength).UtcDateTime;
        var calendar = new RepaymentCalendar(loan.DisbursedOn, anchor, options.DayLength, options.RemindAt);
        await durable.ScheduleNewOrchestrationInstanceAsync(nameof(RepaymentOrchestrator),
            new RepaymentInput(customerId, loanId, applicationId, 1, calendar), new StartOrchestrationOptions(instanceId), cancellationToken);
    }
}
