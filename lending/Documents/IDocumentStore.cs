namespace JisuDai.Lending.Documents;

/// <summary>
/// Stores one kind of customer document. Implementations: Table storage (the local default) and
/// Cosmos DB for NoSQL (Azure); one contract test suite holds them to the same behaviour.
/// </summary>
/// <typeparam name="T">The document type.</typeparam>
public interface IDocumentStore<T> where T : ICustomerDocument
{
    /// <summary>Reads a document, or returns null when it does not exist.</summary>
    Task<Versioned<T>?> FindAsync(string customerId, string id, CancellationToken cancellationToken = default);

    /// <summary>Creates a document.</summary>
    /// <exception cref="DocumentAlreadyExistsException">A document with this id exists in the partition.</exception>
    Task<Versioned<T>> CreateAsync(T document, CancellationToken cancellationToken = default);

    /// <summary>Replaces a document if it is still at <paramref name="expectedETag"/>.</summary>
    /// <exception cref="DocumentNotFoundException">The document does not exist.</exception>
    /// <exception cref="ConcurrencyConflictException">Someone else changed it since it was read.</exception>
    Task<Versioned<T>> ReplaceAsync(T document, string expectedETag, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces many documents, each only if it is still at the ETag it carries, in as few round trips as the store
    /// allows (the overdue sweep writes thousands of loans this way). Not atomic across documents: each is replaced or
    /// not on its own.
    /// </summary>
    /// <returns>For each document, in order: its new version, or null when someone else changed it since it was read (read it again).</returns>
    /// <exception cref="DocumentNotFoundException">A document does not exist.</exception>
    Task<IReadOnlyList<Versioned<T>?>> ReplaceManyAsync(IReadOnlyList<Versioned<T>> documents, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a document if it is still at <paramref name="expectedETag"/> (the retention run deletes what it read, so
    /// a document changed meanwhile is left for the next run). False when it was already gone.
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">Someone else changed it since it was read.</exception>
    Task<bool> DeleteAsync(string customerId, string id, string expectedETag, CancellationToken cancellationToken = default);

    /// <summary>Lists every document of this kind that belongs to one customer, ordered by id.</summary>
    Task<IReadOnlyList<Versioned<T>>> ListByCustomerAsync(string customerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every document of this kind, across customers, in no set order, a page at a time (the overdue sweep walks all
    /// loans this way: one read per page instead of one per loan).
    /// </summary>
    IAsyncEnumerable<Versioned<T>> ScanAsync(CancellationToken cancellationToken = default);
}
