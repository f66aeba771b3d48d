using JisuDai.App.Events;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;

namespace JisuDai.App.Loans;

/// <summary>
/// The one way a change to a loan is written: under the ETag it was read with, then the events it raised copied to the
/// outbox (should the copy fail, the next overdue sweep makes it). The overdue sweep batches its own events instead.
/// </summary>
public sealed class LoanChanges(IDocumentStore<Loan> loans, ILoanEventOutbox outbox)
{
    /// <summary>Writes <paramref name="changed"/> over <paramref name="current"/>; false when someone else changed the loan first (read it again and retry).</summary>
    public async Task<bool> TryWriteAsync(Versioned<Loan> current, Loan changed, CancellationToken cancellationToken)
    {
        try
        {
            await loans.ReplaceAsync(changed, current.ETag, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return false;
        }

        await outbox.AddAsync((changed.Events ?? []).Skip(current.Document.Events?.Count ?? 0), cancellationToken);
        return true;
    }
}
