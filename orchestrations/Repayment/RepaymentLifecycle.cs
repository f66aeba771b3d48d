using JisuDai.App.Loans;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace JisuDai.Orchestrations.Repayment;

/// <summary>Makes the repayment lifecycle of a request over the Durable client its trigger was given.</summary>
public sealed class RepaymentLifecycles(ILogger<RepaymentLifecycle> logger)
{
    /// <summary>The lifecycle over <paramref name="durable"/>.</summary>
    public IRepaymentLifecycle Over(DurableTaskClient durable) => new RepaymentLifecycle(durable, logger);
}

/// <summary>Tells a loan's repayment lifecycle that the loan changed, so it looks again now.</summary>
public sealed class RepaymentLifecycle(DurableTaskClient durable, ILogger logger) : IRepaymentLifecycle
{
    /// <summary>
    /// Raises <see cref="RepaymentOrchestrator.LoanChangedEvent"/>. Only a wake-up: the lifecycle checks the loan at each
    /// step anyway, so a failure here is logged and the change, already recorded, stands.
    /// </summary>
    public async Task LoanChangedAsync(string loanId, CancellationToken cancellationToken)
    {
        try
        {
            await durable.RaiseEventAsync(RepaymentOrchestrator.InstanceIdOf(loanId), RepaymentOrchestrator.LoanChangedEvent, true, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not wake the repayment lifecycle of loan {LoanId}; it will see the change at its next step.", loanId);
        }
    }
}
