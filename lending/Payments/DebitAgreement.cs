using System.Text.Json.Serialization;
using JisuDai.Lending.Documents;

namespace JisuDai.Lending.Payments;

/// <summary>Where a debit agreement stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DebitAgreementStatus>))]
public enum DebitAgreementStatus
{
    /// <summary>Made with the provider; waiting for the borrower to sign it in their payment app.</summary>
    Pending,

    /// <summary>Signed: the lender may debit what is due on the due dates.</summary>
    Signed,

    /// <summary>Ended by the borrower or the lender: no more debits.</summary>
    Terminated,
}

/// <summary>
/// A debit agreement (委托代扣): the borrower's standing consent, signed in their payment app when they accept the offer,
/// for the lender to debit what is due on a loan's due dates and on a few days after a failed debit. One per loan.
/// </summary>
/// <param name="Id">The agreement's id: <see cref="ContractCode"/> in the customer's partition.</param>
/// <param name="CustomerId">The borrower.</param>
/// <param name="ApplicationId">The application whose offer it was signed with.</param>
/// <param name="LoanId">The loan it debits.</param>
/// <param name="ContractCode">Our code for it at the provider (out_contract_code, its idempotency key).</param>
/// <param name="Status">Where it stands.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="SigningId">What the borrower's app signs it with (the provider's pre-entrust-sign id).</param>
/// <param name="ContractId">The provider's id of the signed contract, which each debit names.</param>
/// <param name="SignedAt">When the borrower signed it.</param>
/// <param name="TerminatedAt">When it ended.</param>
/// <param name="TerminatedBy">How it ended: the borrower in their payment app, the borrower through the lender, or the lender at payoff.</param>
public sealed record DebitAgreement(
    string Id, string CustomerId, string ApplicationId, string LoanId, string ContractCode, DebitAgreementStatus Status, DateTimeOffset CreatedAt,
    string? SigningId = null, string? ContractId = null, DateTimeOffset? SignedAt = null, DateTimeOffset? TerminatedAt = null, string? TerminatedBy = null)
    : ICustomerDocument;
