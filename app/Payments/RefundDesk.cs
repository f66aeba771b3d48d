using JisuDai.App.Loans;
using JisuDai.App.Results;
using JisuDai.App.Staff;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Payments;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Payments;

/// <summary>
/// Money a borrower paid that the lender must not keep goes back through the provider, against the payment's own
/// transaction: all of a payment the loan could not take (it closed meanwhile), or the credit a payment left beyond what
/// paying the loan off took. The payment says what it owes back (<see cref="Payment.RefundOwed"/>); the refund is asked
/// under refund number <c>rf</c> + its order number, so asking again refunds once. When the provider confirms it, a
/// refund of credit is recorded in the loan's ledger (CreditRefunded) and an unapplied payment becomes Refunded. Nobody
/// decides a refund: the ledger does, so no staff power is involved; one the provider cannot make raises a staff alert.
/// </summary>
public sealed class RefundDesk(IDocumentStore<Payment> payments, IDocumentStore<Loan> loans, LoanChanges changes, IPaymentProvider provider, IStaffAlerts alerts,
    TimeProvider clock, ILogger<RefundDesk> logger)
{
    /// <summary>The refund number of a payment's refund.</summary>
    public static string RefundNoOf(Payment payment) => "rf" + payment.OrderNo;

    /// <summary>
    /// Asks for the refund a payment owes, if it owes one not yet asked for; a refund still pending is asked about
    /// (so the daily reconciliation finishes any whose notification was lost). Returns the payment as it then stands.
    /// </summary>
    public async Task<Payment> EnsureAsync(Versioned<Payment> found, CancellationToken cancellationToken)
    {
        Payment payment = found.Document;
        if (payment.RefundOwed is not > 0 || payment.Refund?.Status is RefundStatus.Succeeded or RefundStatus.Failed)
        {
            return payment;
        }

        if (payment.Refund is null)
        {
            // Our record of the refund first, then the provider's: a crash between them is finished by asking again.
            try
            {
                found = await payments.ReplaceAsync(payment with { Refund = new PaymentRefund(RefundNoOf(payment), payment.RefundOwed.Value, RefundStatus.Pending, clock.GetUtcNow()) },
                    found.ETag, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                found = (await payments.FindAsync(payment.CustomerId, payment.Id, cancellationToken))!;
                return found.Document.Refund is null ? await EnsureAsync(found, cancellationToken) : found.Document;
            }

            payment = found.Document;
            RefundReport asked = await provider.RequestRefundAsync(
                new RefundOrder(payment.Refund!.RefundNo, payment.OrderNo, payment.Refund.Amount, payment.AmountPaid ?? payment.Amount, "JisuDai: money not owed on the loan"),
                cancellationToken);
            return asked.State == ProviderState.Pending ? payment : (await ApplyAsync(payment.CustomerId, asked, cancellationToken)).Value ?? payment;
        }

        return await provider.FindRefundAsync(payment.Refund.RefundNo, cancellationToken) is { State: not ProviderState.Pending } report
            ? (await ApplyAsync(payment.CustomerId, report, cancellationToken)).Value ?? payment
            : payment;
    }

    /// <summary>
    /// A refund the provider reports finished (a verified notification). Refund notifications do not name the payer, so
    /// the refunded order is asked of the provider, whose answer does.
    /// </summary>
    public async Task<Result<string>> ReportAsync(RefundReport report, CancellationToken cancellationToken)
    {
        if (await provider.FindCollectionAsync(report.OrderNo, cancellationToken) is not { CustomerId.Length: > 0 } order)
        {
            return Result<string>.Unprocessable($"The provider reports refund {report.RefundNo} of order {report.OrderNo}, which it does not know.");
        }

        Result<Payment> applied = await ApplyAsync(order.CustomerId, report, cancellationToken);
        return applied.Succeeded ? Result<string>.Ok($"refund {report.RefundNo} of payment {applied.Value!.Id} {applied.Value.Refund?.Status}") : applied.As<string>();
    }

    async Task<Result<Payment>> ApplyAsync(string customerId, RefundReport report, CancellationToken cancellationToken)
    {
        string id = CustomerScopedId.Compose(report.OrderNo, customerId);
        if (!DocumentKey.IsValid(id) || await payments.FindAsync(customerId, id, cancellationToken) is not { Document.Refund: { } refund } found || refund.RefundNo != report.RefundNo)
        {
            return Result<Payment>.Unprocessable($"The provider reports refund {report.RefundNo}, which is no refund of ours.");
        }

        if (report.State == ProviderState.Pending || refund.Status != RefundStatus.Pending)
        {
            return Result<Payment>.Ok(found.Document); // not finished, or applied before (a replay)
        }

        if (report.State == ProviderState.Succeeded && report.Amount != refund.Amount)
        {
            return Result<Payment>.Unprocessable($"The provider reports {report.Amount:0.00} yuan refunded by {report.RefundNo}; we asked {refund.Amount:0.00}.");
        }

        DateTimeOffset at = report.RefundedAt ?? clock.GetUtcNow();
        if (report.State == ProviderState.Succeeded && found.Document.Status == PaymentStatus.Succeeded)
        {
            // Credit left on a paid-off loan: the ledger gives it up, once (by refund number), before the payment says so.
            Result<Loan> recorded = await RecordOnLoanAsync(found.Document, new RecordedRefund(refund.RefundNo, LenderCalendar.DateOf(at), refund.Amount, found.Document.Id), cancellationToken);
            if (!recorded.Succeeded)
            {
                return recorded.As<Payment>();
            }
        }
        else if (report.State != ProviderState.Succeeded)
        {
            logger.LogWarning("Refund {RefundNo} of payment {PaymentId} ended {State}", refund.RefundNo, found.Document.Id, report.State);
            await alerts.RaiseAsync(new StaffAlert($"refund-failed-{refund.RefundNo}", "refund-failed", found.Document.Id,
                $"The provider could not give {refund.Amount:0.00} yuan back to the payer of payment {found.Document.Id} ({report.State}). Return it another way.", clock.GetUtcNow()), cancellationToken);
        }

        while (true)
        {
            Payment payment = found.Document;
            if (payment.Refund!.Status != RefundStatus.Pending)
            {
                return Result<Payment>.Ok(payment);
            }

            bool succeeded = report.State == ProviderState.Succeeded;
            Payment next = payment with
            {
                Refund = payment.Refund with
                {
                    Status = succeeded ? RefundStatus.Succeeded : RefundStatus.Failed, ProviderRefundId = report.ProviderId, RefundedAt = succeeded ? at : null,
                    Detail = succeeded ? null : report.State.ToString(),
                },
                Status = succeeded && payment.Status == PaymentStatus.Unapplied ? PaymentStatus.Refunded : payment.Status,
            };
            try
            {
                return Result<Payment>.Ok((await payments.ReplaceAsync(next, found.ETag, cancellationToken)).Document);
            }
            catch (ConcurrencyConflictException)
            {
                found = (await payments.FindAsync(payment.CustomerId, payment.Id, cancellationToken))!;
            }
        }
    }

    async Task<Result<Loan>> RecordOnLoanAsync(Payment payment, RecordedRefund refund, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await loans.FindAsync(payment.CustomerId, payment.LoanId, cancellationToken) is not { } current)
            {
                return Result<Loan>.NotFound($"There is no loan {payment.LoanId}.");
            }

            Lending.Outcome<Loan> recorded = LoanRepayments.RecordRefund(current.Document, refund);
            if (!recorded.Succeeded)
            {
                return Result<Loan>.Unprocessable($"Refund {refund.RefundNo} does not fit loan {payment.LoanId}: {string.Join(" ", recorded.Errors.Select(e => e.Message))}");
            }

            if (ReferenceEquals(recorded.Value, current.Document) || await changes.TryWriteAsync(current, recorded.Value!, cancellationToken))
            {
                return Result<Loan>.Ok(recorded.Value!);
            }
        }
    }
}
