using JisuDai.Lending.Schedules;
namespace JisuDai.App.Loans;

/// <summary>An installment handed to the collections team.</summary>
/// <param name="Key">The hand-over's key (loan and installment): a consumer that sees it twice handles it once.</param>
/// <param name="LoanId">The loan.</param>
/// <param name="CustomerId">The borrower.</param>
/// <param name="Installment">The installment that went unpaid.</param>
/// <param name="DaysPastDue">Days it is past due.</param>
/// <param name="AmountDue">Everything due on the loan that day.</param>
/// <param name="On">The business day of the hand-over.</param>
public sealed record CollectionsReferral(string Key, string LoanId, string CustomerId, int Installment, int DaysPastDue, decimal AmountDue, DateOnly On);

/// <summary>Where unpaid installments are handed to the collections team; a referral is sent at least once, and its key makes a second copy recognisable.</summary>
public interface ICollectionsQueue
{
    /// <summary>Hands <paramref name="referral"/> over.</summary>
    Task ReferAsync(CollectionsReferral referral, CancellationToken cancellationToken);
}
