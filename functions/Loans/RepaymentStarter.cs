using JisuDai.Functions.Configuration;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Orchestrations.Repayment;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace JisuDai.Functions.Loans;

/// <summary>
/// Starts a loan's repayment lifecycle under the instance id <c>repayment-{loanId}</c>; an instance that exists already
/// is left alone. Its calendar is anchored so that now is now: the disbursement day began as long ago as the share of
/// the day gone by (with one-day days, that is midnight in Asia/Shanghai).
/// </summary>
public sealed class RepaymentStarter(IDocumentStore<Loan> loans, RepaymentOptions options, TimeProvider clock, DurableTaskClient durable) : IRepaymentStarter
{
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

/// <summary>
/// When reminders go out: <c>Repayment:RemindAt</c> (time of day in Asia/Shanghai, default 09:00:00) and
/// <c>Repayment:DayLength</c> (default 1.00:00:00; only tests shorten it, to live a month in seconds).
/// </summary>
public sealed record RepaymentOptions(TimeSpan DayLength, TimeSpan RemindAt)
{
    public static RepaymentOptions FromConfiguration(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        TimeSpan dayLength = Durations.Read(configuration, AppSettings.RepaymentDayLength, TimeSpan.FromDays(1));
        TimeSpan remindAt = Durations.Read(configuration, AppSettings.RepaymentRemindAt, TimeSpan.FromHours(9));
        if (dayLength <= TimeSpan.Zero)
        {
            throw new ConfigurationException(AppSettings.RepaymentDayLength, "must be a positive duration such as 1.00:00:00.");
        }

        if (remindAt < TimeSpan.Zero || remindAt >= TimeSpan.FromDays(1))
        {
            throw new ConfigurationException(AppSettings.RepaymentRemindAt, "must be a time of day from 00:00:00 to 23:59:59.");
        }

        return new RepaymentOptions(dayLength, remindAt);
    }
}
