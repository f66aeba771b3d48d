using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using JisuDai.App.Loans;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Payments;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Payments;

/// <summary>A borrower's request to pay: what for, a prepayment's mode, and (for a part of what is due, or a prepayment) how much.</summary>
public sealed record PaymentRequest(string? Purpose, string? Mode = null, decimal? Amount = null);

/// <summary>
/// A payment as its borrower sees it, with what their payment app needs to pay it (<see cref="PrepayId"/>), whether it
/// was theirs or a debit (<see cref="Channel"/>, with <see cref="FailReason"/> for a refused debit), and what of it went
/// back to them (<see cref="Refund"/>).
/// </summary>
public sealed record PaymentView(
    string Id, string LoanId, PaymentPurpose Purpose, PrepaymentMode? Mode, decimal Amount, PaymentStatus Status, string OrderNo, string? PrepayId,
    string? TransactionId, DateTimeOffset CreatedAt, DateTimeOffset? PaidAt, PaymentChannel Channel, string? FailReason, PaymentRefund? Refund)
{
    public static PaymentView Of(Payment p) => new(p.Id, p.LoanId, p.Purpose, p.Mode, p.Amount, p.Status, p.OrderNo, p.Channel == PaymentChannel.Debit ? null : p.PrepayId,
        p.TransactionId, p.CreatedAt, p.PaidAt, p.Channel, p.FailReason, p.Refund);
}

/// <summary>
/// The borrower's payments through the provider. A payment is created for its purpose (what is due, a prepayment, the
/// payoff), once per <c>Idempotency-Key</c>, with an order at the provider the borrower pays in their app; the ledger
/// applies it only when the provider confirms it: by a verified notification (<see cref="ReceiveAsync"/>) or, when
/// one is late, by the provider's answer to a query made while the payment is read. Applying a report is idempotent
/// (by the payment's state and the ledger's reference), so a replayed notification is answered and changes nothing.
/// </summary>
public sealed class PaymentDesk(
    IDocumentStore<Payment> payments, LoanServicing servicing, IPaymentProvider provider, IPaymentNoticeLog notices, IStaffAlerts alerts, DebitDesk debits, RefundDesk refunds,
    TimeProvider clock, ILogger<PaymentDesk> logger)
{
    static readonly Dictionary<string, PaymentPurpose> Purposes = new() { ["due"] = PaymentPurpose.Due, ["prepayment"] = PaymentPurpose.Prepayment, ["payoff"] = PaymentPurpose.Payoff };

    /// <summary>Creates the borrower's payment on loan <paramref name="loanId"/> (or answers the one made before under <paramref name="idempotencyKey"/>).</summary>
    public async Task<Result<Recorded<PaymentView>>> CreateAsync(Caller caller, string loanId, string? idempotencyKey, PaymentRequest body, CancellationToken cancellationToken)
    {
        if (CustomerScopedId.CustomerOf(loanId) is not { } customerId || !caller.MaySee(customerId))
        {
            return Result<Recorded<PaymentView>>.NotFound($"There is no loan {loanId}.");
        }

        if (!caller.Roles.Contains(Roles.Applicant) || caller.Subject != customerId)
        {
            return Result<Recorded<PaymentView>>.Forbidden("A payment is made by its borrower, in their payment app; staff record offline payments at /api/loans/{id}/repayments.");
        }

        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 200)
        {
            return Result<Recorded<PaymentView>>.Invalid("Idempotency-Key", "the Idempotency-Key header is required (at most 200 characters).");
        }

        var errors = new List<Lending.DomainError>();
        PaymentPurpose purpose = default;
        PrepaymentMode? mode = null;
        if (body.Purpose is null || !Purposes.TryGetValue(body.Purpose, out purpose))
        {
            errors.Add(new("purpose", "allowed-values", $"purpose must be one of {string.Join(", ", Purposes.Keys)}."));
        }

        if (purpose == PaymentPurpose.Prepayment)
        {
            if (body.Mode is { } m && LoanServicing.PrepaymentModes.TryGetValue(m, out PrepaymentMode known))
            {
                mode = known;
            }
            else
            {
                errors.Add(new("mode", "allowed-values", $"a prepayment's mode must be one of {string.Join(", ", LoanServicing.PrepaymentModes.Keys)}."));
            }

            if (body.Amount is null)
            {
                errors.Add(new("amount", "required", "a prepayment needs its amount."));
            }
        }
        else if (body.Mode is not null)
        {
            errors.Add(new("mode", "prepayment-only", "mode is for a prepayment only."));
        }

        if (purpose == PaymentPurpose.Payoff && body.Amount is not null)
        {
            errors.Add(new("amount", "payoff-total", "a payoff pays the payoff quote's total; leave amount out."));
        }

        if (body.Amount is { } asked && (asked <= 0 || decimal.Round(asked, 2) != asked))
        {
            errors.Add(new("amount", "positive-fen", "amount must be more than 0 yuan, to the fen."));
        }

        if (errors.Count > 0)
        {
            return Result<Recorded<PaymentView>>.Invalid(errors);
        }

        string orderNo = "pmt" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{customerId}\n{idempotencyKey}")))[..20];
        string id = CustomerScopedId.Compose(orderNo, customerId);
        string hash = $"{loanId}|{purpose}|{mode}|{body.Amount?.ToString(CultureInfo.InvariantCulture)}";
        bool created = false;
        Versioned<Payment>? stored = await payments.FindAsync(customerId, id, cancellationToken);
        if (stored is null)
        {
            Result<(Loan Loan, decimal DueNow, PayoffQuote Payoff)> position = await servicing.PositionAsync(customerId, loanId, cancellationToken);
            if (!position.Succeeded)
            {
                return position.As<Recorded<PaymentView>>();
            }

            (Loan loan, decimal dueNow, PayoffQuote payoff) = position.Value;
            if (loan.Status is LoanStatus.PaidOff or LoanStatus.WrittenOff || !loan.IsPaidOut)
            {
                return Result<Recorded<PaymentView>>.Conflict($"Loan {loanId} is {loan.Status}; it takes no payments.");
            }

            decimal amount = purpose switch
            {
                PaymentPurpose.Payoff => payoff.Total,
                PaymentPurpose.Due => body.Amount ?? dueNow,
                _ => body.Amount!.Value,
            };
            if (amount <= 0)
            {
                return Result<Recorded<PaymentView>>.Conflict($"Nothing is due on loan {loanId} today; pay a prepayment or the payoff instead.");
            }

            if (amount > payoff.Total)
            {
                return Result<Recorded<PaymentView>>.Invalid("amount", $"amount must be at most what paying the loan off today takes ({payoff.Total:0.00} yuan).");
            }

            try
            {
                stored = await payments.CreateAsync(new Payment(id, customerId, loanId, purpose, mode, amount, orderNo, hash, PaymentStatus.Pending, clock.GetUtcNow()), cancellationToken);
                created = true;
            }
            catch (DocumentAlreadyExistsException)
            {
                stored = (await payments.FindAsync(customerId, id, cancellationToken))!;
            }
        }

        if (stored.Document.RequestHash != hash)
        {
            return Result<Recorded<PaymentView>>.Conflict("Idempotency-Key was used for another payment; use a new key for a new payment.");
        }

        // The provider's order is made after ours is stored, under our order number, so a retry after a crash makes it once.
        while (stored.Document.PrepayId is null)
        {
            Payment p = stored.Document;
            string prepayId = await provider.CreateCollectionAsync(new CollectionOrder(p.OrderNo, customerId, p.Amount, "JisuDai loan repayment"), cancellationToken);
            try
            {
                stored = await payments.ReplaceAsync(p with { PrepayId = prepayId }, stored.ETag, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                stored = (await payments.FindAsync(customerId, id, cancellationToken))!;
            }
        }

        return Result<Recorded<PaymentView>>.Ok(new(PaymentView.Of(stored.Document), created));
    }

    /// <summary>A payment as it stands; a pending one is asked of the provider first, so a late notification is not waited for.</summary>
    public async Task<Result<PaymentView>> GetAsync(Caller caller, string id, IRepaymentLifecycle lifecycle, CancellationToken cancellationToken)
    {
        if (CustomerScopedId.CustomerOf(id) is not { } customerId || !caller.MaySee(customerId) ||
            await payments.FindAsync(customerId, id, cancellationToken) is not { } found)
        {
            return Result<PaymentView>.NotFound($"There is no payment {id}.");
        }

        if (found.Document is { Status: PaymentStatus.Pending, PrepayId: not null } pending &&
            await provider.FindCollectionAsync(pending.OrderNo, cancellationToken) is { State: not ProviderState.Pending } reported)
        {
            Result<Payment> settled = await SettleAsync(reported with { CustomerId = customerId }, lifecycle, cancellationToken);
            return settled.Succeeded ? Result<PaymentView>.Ok(PaymentView.Of(settled.Value!)) : settled.As<PaymentView>();
        }

        return Result<PaymentView>.Ok(PaymentView.Of(found.Document));
    }

    /// <summary>The payments on a loan, newest first.</summary>
    public async Task<Result<IReadOnlyList<PaymentView>>> ListAsync(Caller caller, string loanId, CancellationToken cancellationToken)
    {
        if (CustomerScopedId.CustomerOf(loanId) is not { } customerId || !caller.MaySee(customerId))
        {
            return Result<IReadOnlyList<PaymentView>>.NotFound($"There is no loan {loanId}.");
        }

        return Result<IReadOnlyList<PaymentView>>.Ok((await payments.ListByCustomerAsync(customerId, cancellationToken))
            .Select(v => v.Document).Where(p => p.LoanId == loanId).OrderByDescending(p => p.CreatedAt).Select(PaymentView.Of).ToList());
    }

    /// <summary>
    /// A notification from the provider: verified (signature, freshness) and opened by the provider's adapter, applied
    /// (a payment confirmed is recorded in its loan's ledger; payout reports go to <paramref name="payouts"/>, which wakes
    /// the approval waiting on the transfer through <paramref name="approvals"/>), and its
    /// id recorded. Applying is idempotent by the payment's state and the ledger's reference, so a replay, or two
    /// deliveries at once, change nothing more; the log says which notifications were handled, and with what outcome.
    /// </summary>
    public async Task<Result<string>> ReceiveAsync(IReadOnlyDictionary<string, string> headers, string body, IPayoutReports payouts, IRepaymentLifecycle lifecycle,
        Applications.IApprovalWorkflow approvals, CancellationToken cancellationToken)
    {
        OpenedNotice opened = provider.Open(headers, body);
        if (opened.Notice is not { } notice)
        {
            logger.LogWarning("Refused a payment notification: {Detail}", opened.Detail);
            Telemetry.LendingTelemetry.PaymentNotice("refused");
            return opened.Refusal == NoticeRefusal.Unauthenticated ? Result<string>.Unauthenticated(opened.Detail) : Result<string>.Unprocessable(opened.Detail);
        }

        Result<string> handled;
        if (notice.Collection is { } collection)
        {
            Result<Payment> settled = await SettleAsync(collection, lifecycle, cancellationToken);
            handled = settled.Succeeded ? Result<string>.Ok($"payment {settled.Value!.Id} {settled.Value.Status}") : settled.As<string>();
        }
        else if (notice.Refund is { } refund)
        {
            handled = await refunds.ReportAsync(refund, cancellationToken);
        }
        else if (notice.Agreement is { } agreement)
        {
            handled = await debits.ReportAsync(agreement, cancellationToken);
        }
        else
        {
            handled = await payouts.ReportAsync(notice.Payout!, approvals, cancellationToken);
        }

        if (!handled.Succeeded)
        {
            logger.LogWarning("Payment notification {Id} ({Type}) not applied: {Detail}", notice.Id, notice.EventType, handled.Detail);
            Telemetry.LendingTelemetry.PaymentNotice("not-applied");
            return handled;
        }

        await notices.RecordAsync(notice.Id, notice.EventType, handled.Value!, cancellationToken);
        Telemetry.LendingTelemetry.PaymentNotice("applied");
        return handled;
    }

    /// <summary>
    /// Records a payment the provider reports paid that no payment of ours holds (a reconciliation finding two staff
    /// resolved): made as a payment of what is due on <paramref name="loanId"/>, under the provider's order number, then
    /// applied like any confirmed payment. A payment of ours under that order is applied as it is.
    /// </summary>
    public async Task<Result<Payment>> AdoptAsync(CollectionStatus paid, string loanId, IRepaymentLifecycle lifecycle, CancellationToken cancellationToken)
    {
        if (paid.State != ProviderState.Succeeded || CustomerScopedId.CustomerOf(loanId) is not { } customerId)
        {
            return Result<Payment>.Conflict($"Order {paid.OrderNo} is not paid at the provider, or {loanId} is no loan.");
        }

        string id = CustomerScopedId.Compose(paid.OrderNo, customerId);
        if (!DocumentKey.IsValid(id))
        {
            return Result<Payment>.Invalid("reference", $"{paid.OrderNo} cannot be a payment's order number here.");
        }

        if (await payments.FindAsync(customerId, id, cancellationToken) is null)
        {
            try
            {
                await payments.CreateAsync(new Payment(id, customerId, loanId, PaymentPurpose.Due, null, paid.Amount, paid.OrderNo, "adopted", PaymentStatus.Pending, clock.GetUtcNow(), PrepayId: "adopted"), cancellationToken);
            }
            catch (DocumentAlreadyExistsException)
            {
                // Adopted by an approval at the same moment.
            }
        }

        return await SettleAsync(paid with { CustomerId = customerId }, lifecycle, cancellationToken);
    }

    /// <summary>
    /// Our payment under the provider's order number for <paramref name="customerId"/> (who the provider says it is for),
    /// or null when there is none, or when what the provider says cannot name a payment of ours.
    /// </summary>
    public async Task<Versioned<Payment>?> FindByOrderAsync(string orderNo, string customerId, CancellationToken cancellationToken)
    {
        string id = CustomerScopedId.Compose(orderNo, customerId);
        return DocumentKey.IsValid(customerId) && DocumentKey.IsValid(id) ? await payments.FindAsync(customerId, id, cancellationToken) : null;
    }

    /// <summary>
    /// Applies the provider's report of a payment: paid → recorded in the ledger (once, by the provider's transaction id),
    /// and a loan it paid off has its debit agreement ended; what it owes back (all of it, when the loan could not take
    /// it; credit beyond a payoff) is refunded; closed → closed; a debit refused → failed.
    /// </summary>
    async Task<Result<Payment>> SettleAsync(CollectionStatus report, IRepaymentLifecycle lifecycle, CancellationToken cancellationToken)
    {
        if (await FindByOrderAsync(report.OrderNo, report.CustomerId, cancellationToken) is not { } found)
        {
            return Result<Payment>.Unprocessable($"The provider reports order {report.OrderNo}, which is no payment of ours.");
        }

        while (true)
        {
            Payment payment = found.Document;
            if (payment.Status is PaymentStatus.Succeeded or PaymentStatus.Unapplied or PaymentStatus.Refunded || report.State == ProviderState.Pending)
            {
                // Applied before (a replay, a query first): only a refund it owes and has not asked for is still to do.
                return Result<Payment>.Ok(payment.RefundOwed > 0 && payment.Refund is null ? await refunds.EnsureAsync(found, cancellationToken) : payment);
            }

            if (report.State == ProviderState.Failed)
            {
                return Result<Payment>.Ok(await debits.FailAsync(found, report.Detail, cancellationToken));
            }

            Payment next;
            bool paidOff = false;
            if (report.State == ProviderState.Succeeded)
            {
                if (report.Amount != payment.Amount || report.TransactionId is not { Length: > 0 } transactionId || !DocumentKey.IsValid(transactionId))
                {
                    return Result<Payment>.Unprocessable($"The provider reports {report.Amount:0.00} yuan paid on payment {payment.Id} of {payment.Amount:0.00} yuan (transaction {report.TransactionId}); it is not recorded.");
                }

                // A success after a close still moved money: it is recorded all the same, value-dated when the provider says
                // it was paid (but no further back than the loan's product takes value dates).
                DateTimeOffset paidAt = report.PaidAt ?? clock.GetUtcNow();
                DateOnly paidOn = LenderCalendar.DateOf(paidAt);
                var repayment = new RecordedRepayment(transactionId, paidOn, report.Amount, clock.GetUtcNow(), payment.IsPrepayment ? payment.Mode : null);
                Result<Recorded<RepaymentResult>> recorded = await servicing.RecordAsync(payment.CustomerId, payment.LoanId, repayment, lifecycle, cancellationToken, valueDateAsReported: true);
                if (!recorded.Succeeded && recorded.Refused != Refusal.Conflict)
                {
                    return recorded.As<Payment>();
                }

                if (!recorded.Succeeded)
                {
                    await alerts.RaiseAsync(new StaffAlert($"payment-unapplied-{payment.OrderNo}", "payment-unapplied", payment.Id,
                        $"{report.Amount:0.00} yuan arrived on payment {payment.Id} but loan {payment.LoanId} could not take it: {recorded.Detail} It is refunded to the payer.", clock.GetUtcNow()), cancellationToken);
                }

                paidOff = recorded.Succeeded && recorded.Value!.Value.Loan.Status == nameof(LoanStatus.PaidOff);
                // What the lender may not keep goes back: all of it, when the loan could not take it; the credit it left beyond a payoff.
                decimal? owed = !recorded.Succeeded ? report.Amount : paidOff && recorded.Value!.Value.ToCredit > 0 ? recorded.Value.Value.ToCredit : null;
                next = payment with
                {
                    Status = recorded.Succeeded ? PaymentStatus.Succeeded : PaymentStatus.Unapplied, TransactionId = transactionId, PaidAt = paidAt, AmountPaid = report.Amount,
                    RefundOwed = owed,
                };
            }
            else
            {
                next = payment with { Status = PaymentStatus.Closed };
            }

            if (paidOff)
            {
                // Before the payment says Succeeded, so a crash in between leaves it pending and its retried notification ends the agreement then.
                await debits.EndAtPayoffAsync(payment.CustomerId, payment.LoanId, cancellationToken);
            }

            try
            {
                return Result<Payment>.Ok(await refunds.EnsureAsync(await payments.ReplaceAsync(next, found.ETag, cancellationToken), cancellationToken));
            }
            catch (ConcurrencyConflictException)
            {
                found = (await payments.FindAsync(found.Document.CustomerId, found.Document.Id, cancellationToken))!;
            }
        }
    }
}
