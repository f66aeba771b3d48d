using JisuDai.Lending.Loans;

namespace JisuDai.App.Events;

/// <summary>
/// Loan events waiting to be published. An event is first written in its loan document with the change that raised
/// it, then copied here; copying the same event again leaves one copy, so a retry or the sweep's catch-up is harmless.
/// </summary>
public interface ILoanEventOutbox
{
    /// <summary>Copies <paramref name="events"/> into the outbox (again is fine).</summary>
    Task AddAsync(IEnumerable<LoanEventRecord> events, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> events waiting.</summary>
    Task<IReadOnlyList<LoanEventRecord>> PendingAsync(int max, CancellationToken cancellationToken);

    /// <summary>Removes a published event.</summary>
    Task RemoveAsync(LoanEventRecord published, CancellationToken cancellationToken);
}
