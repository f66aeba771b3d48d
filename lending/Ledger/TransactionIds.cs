using JisuDai.Lending.Loans;
namespace JisuDai.Lending.Ledger;

/// <summary>
/// The ids of a loan's ledger transactions, namespaced by kind. The platform makes its own (<c>disbursement</c>,
/// <c>penalty-{yyyyMMdd}-{n}</c>, <c>late-fee-{n}</c>, <c>write-off-{proposal}</c>, <c>reversal-{chargeId}-{n}</c>, a charge made again <c>{chargeId}-r{n}</c>); a reference from outside (a
/// payment reference, a restructuring reference, a refund number) becomes <c>{kind}:{reference}</c>. References may not contain
/// <see cref="Separator"/> (they are document keys), so no outside reference can ever take an id the platform makes.
/// </summary>
public static class TransactionIds
{
    /// <summary>Between a kind and an outside reference; never in a reference or a platform-made id.</summary>
    public const char Separator = ':';

    /// <summary>The id of the repayment or prepayment with payment reference <paramref name="reference"/>.</summary>
    public static string Repayment(string reference) => $"repayment{Separator}{reference}";

    /// <summary>The id of the refund of credit with refund number <paramref name="refundNo"/>.</summary>
    public static string Refund(string refundNo) => $"refund{Separator}{refundNo}";

    /// <summary>The id of the restructuring with reference <paramref name="reference"/>.</summary>
    public static string Restructuring(string reference) => $"restructuring{Separator}{reference}";

    /// <summary>True for an id the platform makes (a document key) or an outside reference in one of the namespaces above.</summary>
    public static bool IsValid(string? id)
    {
        if (Documents.DocumentKey.IsValid(id))
        {
            return true;
        }

        int separator = id?.IndexOf(Separator) ?? -1;
        return separator > 0 && id![..separator] is "repayment" or "restructuring" or "refund" && Documents.DocumentKey.IsValid(id[(separator + 1)..]);
    }
}
