using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace JisuDai.Lending.Products;

/// <summary>A document the borrower is shown before accepting an offer.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DisclosureKind>))]
public enum DisclosureKind
{
    /// <summary>The key-facts statement (贷款关键信息): the figures of the offer on one page.</summary>
    KeyFacts,

    /// <summary>The loan contract (借款合同).</summary>
    Contract,

    /// <summary>The debit agreement (委托扣款授权书), shown when the borrower signs one with the acceptance.</summary>
    DebitAgreement,
}

/// <summary>A document as shown: its text, the template version it was rendered with, and the digest consent is given to.</summary>
/// <param name="Kind">Which document.</param>
/// <param name="Version">The template version (<see cref="Disclosures.Version"/>).</param>
/// <param name="Text">The text shown.</param>
/// <param name="Digest"><c>sha256:</c> and the hex SHA-256 of the text's UTF-8 bytes.</param>
public sealed record Disclosure(DisclosureKind Kind, string Version, string Text, string Digest);

/// <summary>
/// The key-facts statement, the loan contract and the debit agreement, rendered from the stored <see cref="PricedOffer"/>
/// and its product. Pure: the same offer gives the same texts and digests, so what the borrower was shown can be shown
/// again, and what they consented to is named by its digest. Figures are those the offer was priced with: amount,
/// net disbursement, fees, rate, APR, the whole schedule and the prepayment and late-payment terms.
/// </summary>
public static class Disclosures
{
    /// <summary>The templates' version; a change of wording is a new version.</summary>
    public const string Version = "2026-12";

    /// <summary>The documents of an offer: key facts and contract, and the debit agreement when <paramref name="withDebitAgreement"/>.</summary>
    public static IReadOnlyList<Disclosure> For(LoanProduct product, PricedOffer offer, string applicationId, bool withDebitAgreement)
    {
        var documents = new List<Disclosure> { Of(DisclosureKind.KeyFacts, KeyFacts(product, offer, applicationId)), Of(DisclosureKind.Contract, Contract(product, offer, applicationId)) };
        if (withDebitAgreement)
        {
            documents.Add(Of(DisclosureKind.DebitAgreement, DebitAgreement(offer, applicationId)));
        }

        return documents;
    }

    /// <summary>The digest of a text, as consent names it.</summary>
    public static string DigestOf(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    static Disclosure Of(DisclosureKind kind, string text) => new(kind, Version, text, DigestOf(text));

    static string Yuan(decimal amount) => amount.ToString("#,##0.00", CultureInfo.InvariantCulture);

    static string Percent(decimal rate) => (rate * 100m).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    static string KeyFacts(LoanProduct product, PricedOffer offer, string applicationId)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"贷款关键信息 / Key facts — application {applicationId} — product {product.Code} — version {Version}");
        text.AppendLine(CultureInfo.InvariantCulture, $"借款金额 Amount borrowed: {Yuan(offer.Amount)} yuan");
        text.AppendLine(CultureInfo.InvariantCulture, $"手续费 Origination fee ({Percent(product.OriginationFeeRate)}), kept from the amount: {Yuan(offer.OriginationFee)} yuan");
        text.AppendLine(CultureInfo.InvariantCulture, $"实际到账 Paid to you: {Yuan(offer.NetDisbursement)} yuan");
        text.AppendLine(CultureInfo.InvariantCulture, $"年利率 Annual interest rate: {Percent(offer.AnnualRate)}, {offer.Method}, {offer.TermMonths} monthly installments");
        text.AppendLine(CultureInfo.InvariantCulture, $"年化综合成本 APR (all-in, on what is paid to you): {Percent(offer.Apr)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"每期还款 Installment: {Yuan(offer.Installment)} yuan; 总还款 total to repay: {Yuan(offer.Schedule.Installments.Sum(i => i.Total))} yuan");
        text.AppendLine(CultureInfo.InvariantCulture, $"提前还款 Prepayment: allowed at any time; fee {Percent(product.PrepaymentFeeRate)} of the principal repaid early, plus interest accrued to that day");
        string lateFee = product.Delinquency.LateFee > 0 ? $" and a late fee of {Yuan(product.Delinquency.LateFee)} yuan per installment" : "";
        text.AppendLine(CultureInfo.InvariantCulture, $"逾期 Late payment: {product.Delinquency.GraceDays} grace days, then penalty interest of {Percent(product.Delinquency.PenaltyAnnualRate)} a year on what is overdue{lateFee}");
        text.AppendLine("还款计划 Schedule (no., due date, principal, interest, total):");
        foreach (Schedules.Installment i in offer.Schedule.Installments)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {i.Number}  {i.DueDate:yyyy-MM-dd}  {Yuan(i.Principal)}  {Yuan(i.Interest)}  {Yuan(i.Total)}");
        }

        return text.ToString();
    }

    static string Contract(LoanProduct product, PricedOffer offer, string applicationId) =>
        string.Join('\n',
            $"借款合同 / Loan contract — application {applicationId} — version {Version}",
            $"1. The lender lends {Yuan(offer.Amount)} yuan under product {product.Code}. The origination fee of {Yuan(offer.OriginationFee)} yuan is kept from it, and {Yuan(offer.NetDisbursement)} yuan is paid to the borrower's bank account given in the application.",
            $"2. Interest is {Percent(offer.AnnualRate)} a year, counted {product.DayCount} on the principal outstanding; the all-in APR is {Percent(offer.Apr)}.",
            $"3. The borrower repays in {offer.TermMonths} monthly installments of {Yuan(offer.Installment)} yuan ({offer.Method}), as the key-facts statement's schedule says, from the day the money is paid out.",
            "4. Payments are applied to what is due, oldest installment first: penalty, fee, interest, then principal.",
            $"5. The borrower may repay early at any time, paying the interest accrued to that day and a fee of {Percent(product.PrepaymentFeeRate)} of the principal repaid early. Money paid beyond what is owed is given back.",
            $"6. After {product.Delinquency.GraceDays} days past a due date, penalty interest of {Percent(product.Delinquency.PenaltyAnnualRate)} a year runs on what is overdue; a loan more than {product.Delinquency.WriteOffAfterDays} days past due may be passed to collections and written off, which does not cancel the debt.",
            "7. The borrower consents to the lender keeping this contract, the key-facts statement and the record of this acceptance with the loan.",
            "");

    static string DebitAgreement(PricedOffer offer, string applicationId) =>
        string.Join('\n',
            $"委托扣款授权书 / Debit agreement — application {applicationId} — version {Version}",
            $"The borrower authorises the lender to debit, through the payment provider, what is due on this loan (installments of {Yuan(offer.Installment)} yuan, and what is overdue) on each due date and on the days after a debit fails.",
            "The borrower may end this authorisation at any time, in their payment app or through the lender; it ends by itself when the loan is repaid.",
            "");
}
