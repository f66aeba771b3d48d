using JisuDai.App.Loans;
using JisuDai.Lending.Loans;
using Microsoft.DurableTask;

namespace JisuDai.Orchestrations.Repayment;

/// <summary>A loan and a business day.</summary>
public sealed record InstallmentOnDay(RepaymentInput Loan, DateOnly Day);

/// <summary>Reads where an installment stands.</summary>
public sealed class CheckInstallmentActivity(IInstallmentFollowUp followUp) : TaskActivity<InstallmentOnDay, InstallmentState>
{
    /// <inheritdoc />
    public override Task<InstallmentState> RunAsync(TaskActivityContext context, InstallmentOnDay input) =>
        followUp.CheckAsync(input.Loan, input.Day, CancellationToken.None);
}

/// <summary>Sends a reminder or hands the installment to collections, unless it is settled.</summary>
public sealed class FollowUpInstallmentActivity(IInstallmentFollowUp followUp) : TaskActivity<FollowUpStep, InstallmentState>
{
    /// <inheritdoc />
    public override Task<InstallmentState> RunAsync(TaskActivityContext context, FollowUpStep input) =>
        followUp.TakeAsync(input, CancellationToken.None);
}

/// <summary>Which loan's repayment lifecycle to start.</summary>
public sealed record StartRepaymentRequest(string CustomerId, string LoanId, string ApplicationId);

/// <summary>Starts a booked loan's repayment lifecycle, once.</summary>
public sealed class StartRepaymentActivity(IRepaymentStarter starter) : TaskActivity<StartRepaymentRequest, bool>
{
    /// <inheritdoc />
    public override async Task<bool> RunAsync(TaskActivityContext context, StartRepaymentRequest input)
    {
        await starter.StartAsync(input.CustomerId, input.LoanId, input.ApplicationId, CancellationToken.None);
        return true;
    }
}
