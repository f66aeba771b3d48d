using JisuDai.App.Applications;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Products;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Payments;

/// <summary>The provider's reports of payouts, as its notifications bring them.</summary>
public interface IPayoutReports
{
    /// <summary>Takes the provider's report of a payout (a staff alert when it failed, the approval woken when it finished); answers what came of it.</summary>
    Task<Result<string>> ReportAsync(PayoutStatus report, Applications.IApprovalWorkflow approvals, CancellationToken cancellationToken);
}

/// <summary>A payout the provider refused: no money left, and none will under this transfer.</summary>
public sealed class PayoutFailedException(string message) : Exception(message);

/// <summary>A payout not asked for because lending is halted: the activity asks again later.</summary>
public sealed class PayoutHaltedException(string message) : Exception(message);

/// <summary>A payout the provider accepted that has not finished yet: the activity asks again later.</summary>
public sealed class PayoutPendingException(string message) : Exception(message);

/// <summary>
/// Payouts through the provider: the accepted offer's net disbursement (the principal less the origination fee, the
/// figure its APR was disclosed on) to the account the borrower applied with, under a transfer id derived from the
/// application, so asking again (a retried activity, a restarted host) never pays twice. The payout waits for the
/// provider to finish the transfer: a success is the receipt the loan is booked on, a refusal fails the payout with
/// nothing paid, and a transfer still in progress after <paramref name="wait"/> is asked about again by the next try.
/// </summary>
public sealed class ProviderPayouts(ApplicationStore applications, PersonalData personalData, IPaymentProvider provider, IStaffAlerts alerts, ILendingHaltStore halt, PayoutWait wait,
    DailyCapDesk caps, TimeProvider clock, ILogger<ProviderPayouts> logger) : IPayouts, IPayoutReports
{
    /// <summary>The transfer id of an application's payout: "po" and the application's unique part (the provider allows 32 letters and digits).</summary>
    public static string TransferIdOf(string applicationId) => "po" + applicationId[..applicationId.IndexOf('.')];

    public async Task<PayoutReceipt> PayAsync(string customerId, string applicationId, CancellationToken cancellationToken)
    {
        PayoutStatus status = await RequestAsync(customerId, applicationId, cancellationToken);
        DateTimeOffset giveUpAt = clock.GetUtcNow() + wait.Limit;
        while (status.State == ProviderState.Pending && clock.GetUtcNow() < giveUpAt)
        {
            await Task.Delay(wait.PollEvery, clock, cancellationToken);
            status = await provider.FindPayoutAsync(status.TransferId, cancellationToken) ?? status;
        }

        return status.State switch
        {
            ProviderState.Succeeded => ReceiptOf(status),
            ProviderState.Pending => throw new PayoutPendingException($"Payout {status.TransferId} of {applicationId} is still in progress at the provider."),
            _ => throw new PayoutFailedException($"The provider refused payout {status.TransferId} of {applicationId}: {status.FailReason ?? status.State.ToString()}."),
        };
    }

    public async Task<PayoutStatus> RequestAsync(string customerId, string applicationId, CancellationToken cancellationToken)
    {
        LoanApplication application = await applications.GetAsync(customerId, applicationId, cancellationToken);
        if (application.Status != ApplicationStatus.Accepted)
        {
            // Only an accepted application is paid; a cancelled or declined one never is, whatever asked.
            throw new PayoutFailedException($"Application {applicationId} is {application.Status}, not Accepted: it is not paid out.");
        }

        PricedOffer offer = application.Offer ?? throw new PayoutFailedException($"Application {applicationId} has no offer to pay out.");
        if (await halt.GetAsync(cancellationToken) is { Halted: true } halted)
        {
            // Nothing is asked of the provider while lending is halted; the activity's retries ask again later.
            throw new PayoutHaltedException($"Lending is halted since {halted.Since:u} ({halted.Reason}): the payout of {applicationId} waits.");
        }

        // Counted before it is asked for, once per application and day: a payout that would pass a cap waits for a day with room.
        if (await caps.CountPayoutAsync(application, offer.NetDisbursement, cancellationToken) is { } reached)
        {
            throw new PayoutHaltedException($"Today's cap {reached} has no room for the payout of {offer.NetDisbursement:0.00} yuan to {applicationId}: it waits.");
        }

        ApplicantIdentitySealed identity = await personalData.OpenAsync<ApplicantIdentitySealed>(application.ProtectedIdentity, application.Id, cancellationToken);
        return await provider.RequestPayoutAsync(new PayoutOrder(TransferIdOf(applicationId), offer.NetDisbursement, identity.Name, identity.BankAccount, "JisuDai loan"), cancellationToken);
    }

    public Task<PayoutStatus?> CheckAsync(string transferId, CancellationToken cancellationToken) => provider.FindPayoutAsync(transferId, cancellationToken);

    /// <summary>The receipt a loan is disbursed on: the provider's confirmation of the transfer.</summary>
    public static PayoutReceipt ReceiptOf(PayoutStatus succeeded) => new(succeeded.TransferId, succeeded.Amount, succeeded.AccountEnding, succeeded.UpdatedAt);

    public async Task<Result<string>> ReportAsync(PayoutStatus report, Applications.IApprovalWorkflow approvals, CancellationToken cancellationToken)
    {
        logger.LogInformation("Payout {TransferId} reported {State} by the provider", report.TransferId, report.State);
        if (report.State == ProviderState.Failed)
        {
            await alerts.RaiseAsync(new StaffAlert($"payout-failed-{report.TransferId}", "payout-failed", report.TransferId,
                $"The provider refused payout {report.TransferId} of {report.Amount:0.00} yuan: {report.FailReason}.", clock.GetUtcNow()), cancellationToken);
        }

        if (report.State != ProviderState.Pending)
        {
            try
            {
                await approvals.PayoutFinishedAsync(report.TransferId, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Waking the approval only hastens it: it asks the provider on its own timer all the same, so the report
                // stands and the notification is acknowledged.
                logger.LogWarning(e, "Payout {TransferId} finished, but its approval could not be woken; it learns at its next question", report.TransferId);
            }
        }

        return Result<string>.Ok($"payout {report.TransferId} {report.State}");
    }
}

/// <summary>How long a payout waits for the provider to finish a transfer within one try, and how often it asks.</summary>
public sealed record PayoutWait(TimeSpan Limit, TimeSpan PollEvery);
