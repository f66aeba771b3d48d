using JisuDai.Risk.Bureau;

namespace JisuDai.App.Bureau;

/// <summary>Who a bureau is asked about, why, and under which authorisation.</summary>
/// <param name="Name">The person's name.</param>
/// <param name="IdNumber">Their resident ID number.</param>
/// <param name="Phone">Their mobile number.</param>
/// <param name="Purpose">Why: loan-approval.</param>
/// <param name="ConsentReference">The lender's reference for the authorisation (the inquiry's id).</param>
/// <param name="ConsentedAt">When the person authorised it.</param>
public sealed record BureauQuestion(string Name, string IdNumber, string Phone, string Purpose, string ConsentReference, DateTimeOffset ConsentedAt);

/// <summary>The bureau did not answer: down, slow, refusing the call, or not configured.</summary>
public sealed class CreditBureauUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A credit bureau (the PBOC credit reference centre, Baihang), through the lender's member connection.</summary>
public interface ICreditBureau
{
    /// <summary>The bureau's report on the person in <paramref name="question"/>; <see cref="CreditBureauUnavailableException"/> when it does not answer.</summary>
    Task<CreditReport> InquireAsync(BureauQuestion question, CancellationToken cancellationToken);
}
