using JisuDai.App.Applications;
using JisuDai.App.Payments;
using JisuDai.App.Staff;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Products;
using Microsoft.DurableTask;

namespace JisuDai.Orchestrations.Approval;

/// <summary>Which application an activity works on.</summary>
public sealed record ApplicationRef(string CustomerId, string ApplicationId);

/// <summary>Decides the application.</summary>
public sealed class DecideApplicationActivity(IApplicationDecider decider) : TaskActivity<ApplicationRef, ApprovalDecision>
{
    /// <inheritdoc />
    public override Task<ApprovalDecision> RunAsync(TaskActivityContext context, ApplicationRef input) =>
        decider.DecideAsync(input.CustomerId, input.ApplicationId, CancellationToken.None);
}

/// <summary>Records a step of the application.</summary>
public sealed class RecordApplicationStepActivity(IApplicationRecorder recorder) : TaskActivity<ApplicationStepRecord, ApplicationStatus>
{
    /// <inheritdoc />
    public override Task<ApplicationStatus> RunAsync(TaskActivityContext context, ApplicationStepRecord input) =>
        recorder.RecordAsync(input, CancellationToken.None);
}

/// <summary>A step to record and the notice that goes with it (version 5).</summary>
public sealed record ApplicationStepNotice(ApplicationStepRecord Step, ApplicantNotice Notice);

/// <summary>Records a step and queues its notice, in one activity (version 5); both are idempotent, so a retry repeats neither.</summary>
public sealed class RecordStepAndNotifyActivity(IApplicationRecorder recorder, IApplicantNotifier notifier) : TaskActivity<ApplicationStepNotice, ApplicationStatus>
{
    /// <inheritdoc />
    public override async Task<ApplicationStatus> RunAsync(TaskActivityContext context, ApplicationStepNotice input)
    {
        ApplicationStatus status = await recorder.RecordAsync(input.Step, CancellationToken.None);
        await notifier.NotifyAsync(input.Notice, CancellationToken.None);
        return status;
    }
}

/// <summary>What follows a disbursement (version 5): the step, the borrower's notice, the loan's repayment lifecycle.</summary>
public sealed record DisbursedLoan(ApplicationStepRecord Step, ApplicantNotice Notice, Repayment.StartRepaymentRequest Repayment);

/// <summary>Records the disbursement, tells the borrower and starts the repayment lifecycle, in one activity (version 5); each part is idempotent.</summary>
public sealed class FinishDisbursedActivity(IApplicationRecorder recorder, IApplicantNotifier notifier, App.Loans.IRepaymentStarter repayments) : TaskActivity<DisbursedLoan, bool>
{
    /// <inheritdoc />
    public override async Task<bool> RunAsync(TaskActivityContext context, DisbursedLoan input)
    {
        await recorder.RecordAsync(input.Step, CancellationToken.None);
        await notifier.NotifyAsync(input.Notice, CancellationToken.None);
        await repayments.StartAsync(input.Repayment.CustomerId, input.Repayment.LoanId, input.Repayment.ApplicationId, CancellationToken.None);
        return true;
    }
}

/// <summary>Pays out the accepted offer, once.</summary>
public sealed class DisburseLoanActivity(IPayouts payouts) : TaskActivity<ApplicationRef, PayoutReceipt>
{
    /// <inheritdoc />
    public override Task<PayoutReceipt> RunAsync(TaskActivityContext context, ApplicationRef input) =>
        payouts.PayAsync(input.CustomerId, input.ApplicationId, CancellationToken.None);
}

/// <summary>Books the paid-out loan with its schedule, once.</summary>
public sealed class BookLoanActivity(ILoanBooking booking) : TaskActivity<BookLoanRequest, string>
{
    /// <inheritdoc />
    public override Task<string> RunAsync(TaskActivityContext context, BookLoanRequest input) =>
        booking.BookAsync(input.CustomerId, input.ApplicationId, input.Payout, CancellationToken.None);
}

/// <summary>The loan to book.</summary>
public sealed record BookLoanRequest(string CustomerId, string ApplicationId, PayoutReceipt Payout);

/// <summary>Queues a notice to the applicant.</summary>
public sealed class NotifyApplicantActivity(IApplicantNotifier notifier) : TaskActivity<ApplicantNotice, bool>
{
    /// <inheritdoc />
    public override async Task<bool> RunAsync(TaskActivityContext context, ApplicantNotice input)
    {
        await notifier.NotifyAsync(input, CancellationToken.None);
        return true;
    }
}

/// <summary>Prices the accepted offer's terms again at the payout's value date (version 2 of the approval).</summary>
public sealed class RepriceOfferActivity(IOfferRepricing repricing) : TaskActivity<RepriceRequest, PricedOffer>
{
    /// <inheritdoc />
    public override Task<PricedOffer> RunAsync(TaskActivityContext context, RepriceRequest input) =>
        repricing.RepriceAsync(input, CancellationToken.None);
}

/// <summary>Raises a staff alert (version 2 of the approval: a step after the payout that keeps failing).</summary>
public sealed class AlertStaffActivity(IStaffAlerts alerts) : TaskActivity<StaffAlert, bool>
{
    /// <inheritdoc />
    public override async Task<bool> RunAsync(TaskActivityContext context, StaffAlert input)
    {
        await alerts.RaiseAsync(input, CancellationToken.None);
        return true;
    }
}

/// <summary>The loan of an accepted application, booked before its payout is asked for (version 3).</summary>
/// <param name="CustomerId">The customer.</param>
/// <param name="ApplicationId">The application.</param>
/// <param name="ExpectedValueDate">The payout's expected value date (the lender's today).</param>
public sealed record BookPendingLoanRequest(string CustomerId, string ApplicationId, DateOnly ExpectedValueDate);

/// <summary>Books the loan before its payout (status Approved), once.</summary>
public sealed class BookPendingLoanActivity(ILoanBooking booking) : TaskActivity<BookPendingLoanRequest, string>
{
    /// <inheritdoc />
    public override Task<string> RunAsync(TaskActivityContext context, BookPendingLoanRequest input) =>
        booking.BookPendingAsync(input.CustomerId, input.ApplicationId, input.ExpectedValueDate, CancellationToken.None);
}

/// <summary>Asks the provider for the payout without waiting for it (version 3); asking again asks for the same transfer.</summary>
public sealed class RequestPayoutActivity(IPayouts payouts) : TaskActivity<ApplicationRef, PayoutStatus>
{
    /// <inheritdoc />
    public override Task<PayoutStatus> RunAsync(TaskActivityContext context, ApplicationRef input) =>
        payouts.RequestAsync(input.CustomerId, input.ApplicationId, CancellationToken.None);
}

/// <summary>Asks the provider where a payout stands (version 3); null when it has no such transfer.</summary>
public sealed class CheckPayoutActivity(IPayouts payouts) : TaskActivity<string, PayoutStatus?>
{
    /// <inheritdoc />
    public override Task<PayoutStatus?> RunAsync(TaskActivityContext context, string input) =>
        payouts.CheckAsync(input, CancellationToken.None);
}

/// <summary>Disburses the pending loan on its payout's confirmation (version 3), once.</summary>
public sealed class DisbursePendingLoanActivity(ILoanBooking booking) : TaskActivity<BookLoanRequest, string>
{
    /// <inheritdoc />
    public override Task<string> RunAsync(TaskActivityContext context, BookLoanRequest input) =>
        booking.DisburseAsync(input.CustomerId, input.ApplicationId, input.Payout, CancellationToken.None);
}

/// <summary>Cancels the pending loan whose payout failed (version 3), once.</summary>
public sealed class CancelPendingLoanActivity(ILoanBooking booking) : TaskActivity<ApplicationRef, bool>
{
    /// <inheritdoc />
    public override async Task<bool> RunAsync(TaskActivityContext context, ApplicationRef input)
    {
        await booking.CancelPayoutAsync(input.CustomerId, input.ApplicationId, CancellationToken.None);
        return true;
    }
}
