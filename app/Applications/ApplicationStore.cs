using JisuDai.Lending;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Documents;
namespace JisuDai.App.Applications;

/// <summary>Reads and changes applications under their ETag, so concurrent steps never overwrite one another.</summary>
public sealed class ApplicationStore(IDocumentStore<LoanApplication> documents)
{
    public async Task<LoanApplication> GetAsync(string customerId, string applicationId, CancellationToken cancellationToken) =>
        (await documents.FindAsync(customerId, applicationId, cancellationToken))?.Document
        ?? throw new DocumentNotFoundException("Application", customerId, applicationId);

    /// <summary>Applies <paramref name="change"/> to the current application and saves it, re-reading on a concurrent change.</summary>
    public async Task<Outcome<LoanApplication>> ChangeAsync(string customerId, string applicationId, Func<LoanApplication, Outcome<LoanApplication>> change, CancellationToken cancellationToken)
    {
        while (true)
        {
            Versioned<LoanApplication> current = await documents.FindAsync(customerId, applicationId, cancellationToken)
                ?? throw new DocumentNotFoundException("Application", customerId, applicationId);
            Outcome<LoanApplication> changed = change(current.Document);
            if (!changed.Succeeded || ReferenceEquals(changed.Value, current.Document))
            {
                return changed;
            }

            try
            {
                await documents.ReplaceAsync(changed.Value!, current.ETag, cancellationToken);
                return changed;
            }
            catch (ConcurrencyConflictException)
            {
                // Someone else changed it since we read it: apply the change to what is there now.
            }
        }
    }
}
