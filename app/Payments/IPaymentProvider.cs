namespace JisuDai.App.Payments;

/// <summary>Where a payment or a payout stands at the provider.</summary>
public enum ProviderState
{
    /// <summary>Asked for; not finished (an order not yet paid, a transfer accepted or in progress).</summary>
    Pending,

    /// <summary>The money moved.</summary>
    Succeeded,

    /// <summary>It will not move (a transfer refused by the payee's bank, a debit refused by the payer's; an order the payer's bank refused can be tried again, so it stays pending).</summary>
    Failed,

    /// <summary>Closed without money moving (an order closed or expired).</summary>
    Closed,
}

/// <summary>A transfer of a loan's net disbursement to the borrower's bank account.</summary>
/// <param name="TransferId">Our id of the transfer and the provider's idempotency key: asking again with it never pays twice.</param>
/// <param name="Amount">Yuan, to the fen.</param>
/// <param name="AccountName">The account holder's name.</param>
/// <param name="AccountNumber">The bank account (sent encrypted to the provider's certificate).</param>
/// <param name="Remark">What the payee's statement shows.</param>
public sealed record PayoutOrder(string TransferId, decimal Amount, string AccountName, string AccountNumber, string Remark);

/// <summary>A payout as the provider reports it.</summary>
/// <param name="TransferId">Our id.</param>
/// <param name="ProviderId">The provider's id of the transfer.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Amount">Yuan.</param>
/// <param name="AccountEnding">The last four digits of the payee's account.</param>
/// <param name="UpdatedAt">When it last changed at the provider.</param>
/// <param name="FailReason">Why it failed, when it did.</param>
public sealed record PayoutStatus(string TransferId, string ProviderId, ProviderState State, decimal Amount, string AccountEnding, DateTimeOffset UpdatedAt, string? FailReason);

/// <summary>An order for the borrower to pay us, in their payment app.</summary>
/// <param name="OrderNo">Our order number and the provider's idempotency key (the payment's unique part).</param>
/// <param name="CustomerId">Whose payment it is; the provider returns it with every report, so a report finds its payment.</param>
/// <param name="Amount">Yuan, to the fen.</param>
/// <param name="Description">What the payer's app shows.</param>
public sealed record CollectionOrder(string OrderNo, string CustomerId, decimal Amount, string Description);

/// <summary>A payment as the provider reports it.</summary>
/// <param name="OrderNo">Our order number.</param>
/// <param name="CustomerId">The customer the order was made for.</param>
/// <param name="TransactionId">The provider's transaction id, once paid: the ledger's reference for the repayment.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Amount">Yuan paid (or asked, while pending).</param>
/// <param name="PaidAt">When the payer paid.</param>
/// <param name="Detail">The provider's words on its state.</param>
public sealed record CollectionStatus(string OrderNo, string CustomerId, string? TransactionId, ProviderState State, decimal Amount, DateTimeOffset? PaidAt, string? Detail);

/// <summary>A debit agreement for the borrower to sign in their payment app (WeChat Pay's 委托代扣 contract).</summary>
/// <param name="ContractCode">Our code of the agreement and the provider's idempotency key.</param>
/// <param name="CustomerId">Whose agreement it is; the provider returns it with every report.</param>
/// <param name="DisplayAccount">What the borrower's app shows the agreement as.</param>
public sealed record AgreementOrder(string ContractCode, string CustomerId, string DisplayAccount);

/// <summary>Where a debit agreement stands at the provider.</summary>
public enum AgreementState
{
    /// <summary>Not signed yet.</summary>
    Pending,

    /// <summary>Signed by the borrower.</summary>
    Signed,

    /// <summary>Ended (by the borrower, or by us).</summary>
    Terminated,
}

/// <summary>A debit agreement as the provider reports it.</summary>
/// <param name="ContractCode">Our code.</param>
/// <param name="CustomerId">The customer it was made for.</param>
/// <param name="ContractId">The provider's contract id, once signed.</param>
/// <param name="State">Where it stands.</param>
/// <param name="ChangedAt">When it was signed or ended.</param>
/// <param name="Detail">How it ended (the provider's termination mode), when it did.</param>
public sealed record AgreementStatus(string ContractCode, string CustomerId, string? ContractId, AgreementState State, DateTimeOffset? ChangedAt, string? Detail);

/// <summary>A debit of the borrower's account under a signed agreement.</summary>
/// <param name="OrderNo">Our order number and the provider's idempotency key.</param>
/// <param name="CustomerId">Whose debit it is; the provider returns it with every report.</param>
/// <param name="ContractId">The provider's id of the signed agreement.</param>
/// <param name="Amount">Yuan, to the fen.</param>
/// <param name="Description">What the payer's statement shows.</param>
public sealed record DebitOrder(string OrderNo, string CustomerId, string ContractId, decimal Amount, string Description);

/// <summary>Money of a paid order given back to its payer, against the order's own transaction.</summary>
/// <param name="RefundNo">Our refund number and the provider's idempotency key.</param>
/// <param name="OrderNo">The paid order it gives money back from.</param>
/// <param name="Amount">Yuan to give back, at most what the order paid.</param>
/// <param name="OrderTotal">What the order paid.</param>
/// <param name="Reason">What the payer's app shows.</param>
public sealed record RefundOrder(string RefundNo, string OrderNo, decimal Amount, decimal OrderTotal, string Reason);

/// <summary>A refund as the provider reports it.</summary>
/// <param name="RefundNo">Our refund number.</param>
/// <param name="OrderNo">The order it gives money back from.</param>
/// <param name="ProviderId">The provider's id of the refund.</param>
/// <param name="State">Pending (processing), Succeeded, Failed (abnormal: the payer's account cannot take it) or Closed.</param>
/// <param name="Amount">Yuan given back.</param>
/// <param name="RefundedAt">When it went back.</param>
public sealed record RefundReport(string RefundNo, string OrderNo, string ProviderId, ProviderState State, decimal Amount, DateTimeOffset? RefundedAt);

/// <summary>A verified, opened notification from the provider: what finished, and when the provider said so.</summary>
/// <param name="Id">The notification's id (the same id on every retry of it).</param>
/// <param name="EventType">The provider's event type (TRANSACTION.SUCCESS, MCHTRANSFER.BILL.FINISHED…).</param>
/// <param name="CreatedAt">When the provider made it.</param>
/// <param name="Collection">A payment's report, for a payment event.</param>
/// <param name="Payout">A payout's report, for a transfer event.</param>
/// <param name="Agreement">A debit agreement's report, for a signing or termination event.</param>
/// <param name="Refund">A refund's report, for a refund event.</param>
public sealed record ProviderNotice(string Id, string EventType, DateTimeOffset CreatedAt, CollectionStatus? Collection, PayoutStatus? Payout,
    AgreementStatus? Agreement = null, RefundReport? Refund = null);

/// <summary>Why a notification was not opened.</summary>
public enum NoticeRefusal
{
    /// <summary>Its signature is missing or does not verify, or its timestamp is outside the five-minute window.</summary>
    Unauthenticated,

    /// <summary>Signed, but its resource does not open or is not a report this platform knows.</summary>
    Unreadable,
}

/// <summary>A notification opened, or why not.</summary>
public sealed record OpenedNotice(ProviderNotice? Notice, NoticeRefusal? Refusal, string Detail);

/// <summary>
/// The payment provider: payouts to bank accounts, payments the borrower makes in their payment app, debits under a
/// debit agreement the borrower signed, refunds of paid orders, and the notifications it sends when any of them finishes. Every request carries our idempotency key (the transfer id, the
/// order number), so a retried activity or a retried call never moves money twice.
/// </summary>
public interface IPaymentProvider
{
    /// <summary>Asks for a payout; asking again with the same transfer id returns the same transfer.</summary>
    Task<PayoutStatus> RequestPayoutAsync(PayoutOrder order, CancellationToken cancellationToken);

    /// <summary>The payout with our transfer id, or null when the provider has none.</summary>
    Task<PayoutStatus?> FindPayoutAsync(string transferId, CancellationToken cancellationToken);

    /// <summary>Makes an order the borrower pays in their app; returns what the app needs to pay it (the prepay id). The same order again returns the same.</summary>
    Task<string> CreateCollectionAsync(CollectionOrder order, CancellationToken cancellationToken);

    /// <summary>The payment with our order number, or null when the provider has none.</summary>
    Task<CollectionStatus?> FindCollectionAsync(string orderNo, CancellationToken cancellationToken);

    /// <summary>Makes a debit agreement the borrower signs in their app; returns what the app signs it with. The same agreement again returns the same.</summary>
    Task<string> CreateAgreementAsync(AgreementOrder order, CancellationToken cancellationToken);

    /// <summary>The agreement with our contract code, or null when the provider has none.</summary>
    Task<AgreementStatus?> FindAgreementAsync(string contractCode, CancellationToken cancellationToken);

    /// <summary>Ends the agreement: no debit is taken under it any more. Ending one already ended answers as it stands.</summary>
    Task<AgreementStatus> TerminateAgreementAsync(string contractCode, string remark, CancellationToken cancellationToken);

    /// <summary>
    /// Asks to debit the borrower under a signed agreement: null when the provider accepted it (the result comes as a
    /// payment's notification, or by <see cref="FindCollectionAsync"/>), or the provider's reason when it refused it
    /// outright (no signed agreement by that id…). Asking again with the same order number debits once.
    /// </summary>
    Task<string?> RequestDebitAsync(DebitOrder order, CancellationToken cancellationToken);

    /// <summary>Asks to give money of a paid order back; asking again with the same refund number refunds once.</summary>
    Task<RefundReport> RequestRefundAsync(RefundOrder order, CancellationToken cancellationToken);

    /// <summary>The refund with our refund number, or null when the provider has none.</summary>
    Task<RefundReport?> FindRefundAsync(string refundNo, CancellationToken cancellationToken);

    /// <summary>The provider's settlement statement for <paramref name="date"/>: every payment, payout and refund that moved money that day.</summary>
    Task<IReadOnlyList<Lending.Payments.SettlementLine>> StatementAsync(DateOnly date, CancellationToken cancellationToken);

    /// <summary>Checks a notification's signature and freshness against the provider's certificate and opens its resource.</summary>
    OpenedNotice Open(IReadOnlyDictionary<string, string> headers, string body);
}
