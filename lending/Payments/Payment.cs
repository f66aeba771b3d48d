using System.Text.Json.Serialization;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Ledger;

namespace JisuDai.Lending.Payments;

/// <summary>What a borrower's payment is for: how the ledger applies it once the provider confirms it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PaymentPurpose>))]
public enum PaymentPurpose
{
    /// <summary>What is due now (or a part of it): applied by the waterfall to the oldest due first.</summary>
    Due,

    /// <summary>A prepayment of principal not yet due, reducing the term or the installment.</summary>
    Prepayment,

    /// <summary>Everything owed: the payoff quote's total on the day it was asked for.</summary>
    Payoff,
}

/// <summary>Where a borrower's payment stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PaymentStatus>))]
public enum PaymentStatus
{
    /// <summary>Made with the provider; waiting for the borrower to pay it in their app.</summary>
    Pending,

    /// <summary>Paid, confirmed by the provider, and applied to the loan's ledger.</summary>
    Succeeded,

    /// <summary>Closed at the provider without money moving.</summary>
    Closed,

    /// <summary>Paid and confirmed, but the loan could not take it (it closed meanwhile): the money is held for staff to refund.</summary>
    Unapplied,

    /// <summary>A debit the payer's bank refused (insufficient funds, a frozen card): no money moved; a later debit may be tried.</summary>
    Failed,

    /// <summary>Paid, but the loan could not take it, and it was given back in full through the provider.</summary>
    Refunded,
}

/// <summary>Where a refund stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RefundStatus>))]
public enum RefundStatus
{
    /// <summary>Asked of the provider; not finished.</summary>
    Pending,

    /// <summary>The money went back to the payer.</summary>
    Succeeded,

    /// <summary>The provider could not give it back (the payer's account closed…): staff are alerted to return it another way.</summary>
    Failed,
}

/// <summary>Money of a payment given back to the payer through the provider, against the payment's own transaction.</summary>
/// <param name="RefundNo">Our refund number and the provider's idempotency key (<c>rf</c> and the payment's order number).</param>
/// <param name="Amount">Yuan given back.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="RequestedAt">When it was asked for.</param>
/// <param name="ProviderRefundId">The provider's id of the refund.</param>
/// <param name="RefundedAt">When the provider gave it back.</param>
/// <param name="Detail">The provider's words, when it failed.</param>
public sealed record PaymentRefund(string RefundNo, decimal Amount, RefundStatus Status, DateTimeOffset RequestedAt, string? ProviderRefundId = null,
    DateTimeOffset? RefundedAt = null, string? Detail = null);

/// <summary>How the money of a payment is asked for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PaymentChannel>))]
public enum PaymentChannel
{
    /// <summary>The borrower pays an order in their payment app.</summary>
    App,

    /// <summary>The lender debits the borrower under their signed debit agreement (委托代扣).</summary>
    Debit,
}

/// <summary>
/// A payment a borrower makes on their loan through the payment provider. It is created pending with the amount its
/// purpose calls for; the ledger applies it only when the provider confirms the money arrived (a verified notification
/// or the provider's own answer to a query), under the provider's transaction id, on the provider's value date.
/// </summary>
/// <param name="Id">The payment's id: <see cref="OrderNo"/> in the customer's partition.</param>
/// <param name="CustomerId">The borrower.</param>
/// <param name="LoanId">The loan it pays.</param>
/// <param name="Purpose">What it is for.</param>
/// <param name="Mode">A prepayment's mode.</param>
/// <param name="Amount">Yuan asked for, to the fen.</param>
/// <param name="OrderNo">Our order number at the provider (its idempotency key).</param>
/// <param name="RequestHash">What was asked for, so a retry under the same idempotency key with another request is refused.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="PrepayId">What the borrower's app pays it with.</param>
/// <param name="TransactionId">The provider's transaction id, once paid.</param>
/// <param name="PaidAt">When the borrower paid, as the provider says.</param>
/// <param name="AmountPaid">What the provider says was paid.</param>
/// <param name="Channel">Paid by the borrower in their app, or debited under their agreement.</param>
/// <param name="FailReason">Why a debit failed, as the provider said.</param>
/// <param name="RefundOwed">What of it goes back to the payer: all of it when the loan could not take it, or the credit it left beyond what paying the loan off took.</param>
/// <param name="Refund">The refund of <paramref name="RefundOwed"/>, once asked for.</param>
public sealed record Payment(
    string Id, string CustomerId, string LoanId, PaymentPurpose Purpose, PrepaymentMode? Mode, decimal Amount, string OrderNo, string RequestHash,
    PaymentStatus Status, DateTimeOffset CreatedAt, string? PrepayId = null, string? TransactionId = null, DateTimeOffset? PaidAt = null, decimal? AmountPaid = null,
    PaymentChannel Channel = PaymentChannel.App, string? FailReason = null, decimal? RefundOwed = null, PaymentRefund? Refund = null)
    : ICustomerDocument
{
    /// <summary>True when the ledger applies it as a prepayment (with <see cref="Mode"/>), false as a repayment.</summary>
    public bool IsPrepayment => Purpose == PaymentPurpose.Prepayment;
}
