using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace JisuDai.Orchestrations.Repayment;

/// <summary>Tells a loan's repayment lifecycle that the loan changed (a payment, a write-off), so it looks again now.</summary>
public static class RepaymentLifecycle
{
    /// <summary>
    /// Raises <see cref="RepaymentOrchestrator.LoanChangedEvent"/>. Only a wake-up: the lifecycle checks the loan at each
    /// step anyway, so a failure here is logged and the change, already recorded, stands.
    /// </summary>
    public static async Task WakeAsync(DurableTaskClient durable, string loanId, ILogger logger, CancellationToken cancellationToken)
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
