using System.Net;
using System.Text.Json;
using JisuDai.Lending.Documents;
using Microsoft.Azure.Cosmos;

namespace JisuDai.Adapters.Storage;

/// <summary>
/// Documents in Cosmos DB for NoSQL (Azure): one container per kind, partitioned by <c>/customerId</c>,
/// replaces guarded by <c>If-Match</c> on the document's ETag.
/// </summary>
public sealed class CosmosDocumentStore<T> : IDocumentStore<T> where T : ICustomerDocument
{
    readonly Container container;
    readonly string kind = typeof(T).Name;

    public CosmosDocumentStore(Container container)
    {
        this.container = container;
    }

    public async Task<Versioned<T>?> FindAsync(string customerId, string id, CancellationToken cancellationToken = default)
    {
        DocumentKey.Require(customerId, nameof(customerId));
        DocumentKey.Require(id, nameof(id));
        try
        {
            ItemResponse<T> response = await container.ReadItemAsync<T>(id, new PartitionKey(customerId), cancellationToken: cancellationToken);
            return new Versioned<T>(response.Resource, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Versioned<T>> CreateAsync(T document, CancellationToken cancellationToken = default)
    {
        Validate(document);
        try
        {
            ItemResponse<T> response = await container.CreateItemAsync(document, new PartitionKey(document.CustomerId), cancellationToken: cancellationToken);
            return new Versioned<T>(document, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            throw new DocumentAlreadyExistsException(kind, document.CustomerId, document.Id, e);
        }
    }

    public async Task<Versioned<T>> ReplaceAsync(T document, string expectedETag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(expectedETag);
        Validate(document);
        try
        {
            ItemResponse<T> response = await container.ReplaceItemAsync(
                document, document.Id, new PartitionKey(document.CustomerId),
                new ItemRequestOptions { IfMatchEtag = expectedETag }, cancellationToken);
            return new Versioned<T>(document, response.ETag);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new DocumentNotFoundException(kind, document.CustomerId, document.Id, e);
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw new ConcurrencyConflictException(kind, document.CustomerId, document.Id, e);
        }
    }

    public async Task<bool> DeleteAsync(string customerId, string id, string expectedETag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(expectedETag);
        try
        {
            await container.DeleteItemAsync<T>(id, new PartitionKey(customerId), new ItemRequestOptions { IfMatchEtag = expectedETag }, cancellationToken);
            return true;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw new ConcurrencyConflictException(kind, customerId, id, e);
        }
    }

    /// <summary>One replace per document, many at once: a Cosmos DB transactional batch holds one partition (one customer) only.</summary>
    public async Task<IReadOnlyList<Versioned<T>?>> ReplaceManyAsync(IReadOnlyList<Versioned<T>> documents, CancellationToken cancellationToken = default)
    {
        var replaced = new Versioned<T>?[documents.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, documents.Count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            try
            {
                replaced[i] = await ReplaceAsync(documents[i].Document, documents[i].ETag, ct);
            }
            catch (ConcurrencyConflictException)
            {
                replaced[i] = null;
            }
        });
        return replaced;
    }

    public async Task<IReadOnlyList<Versioned<T>>> ListByCustomerAsync(string customerId, CancellationToken cancellationToken = default)
    {
        DocumentKey.Require(customerId, nameof(customerId));
        // Read raw JSON so each document's _etag comes with it.
        QueryDefinition query = new QueryDefinition("SELECT * FROM c WHERE c.customerId = @customerId")
            .WithParameter("@customerId", customerId);
        var documents = new List<Versioned<T>>();
        using FeedIterator<JsonElement> feed = container.GetItemQueryIterator<JsonElement>(
            query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(customerId) });
        while (feed.HasMoreResults)
        {
            foreach (JsonElement item in await feed.ReadNextAsync(cancellationToken))
            {
                T document = item.Deserialize<T>(DocumentJson.Options)
                    ?? throw new InvalidDataException($"A {kind} of customer '{customerId}' is empty.");
                documents.Add(new Versioned<T>(document, item.GetProperty("_etag").GetString()!));
            }
        }

        return documents.OrderBy(d => d.Document.Id, StringComparer.Ordinal).ToList();
    }

    public async IAsyncEnumerable<Versioned<T>> ScanAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A read feed (no query text) over every partition; raw JSON so each document's _etag comes with it.
        using FeedIterator<JsonElement> feed = container.GetItemQueryIterator<JsonElement>(queryText: null,
            requestOptions: new QueryRequestOptions { MaxItemCount = 1000 });
        while (feed.HasMoreResults)
        {
            foreach (JsonElement item in await feed.ReadNextAsync(cancellationToken))
            {
                cancellationToken.ThrowIfCancellationRequested(); // a page is in memory: stop within it, not at its end
                T document = item.Deserialize<T>(DocumentJson.Options) ?? throw new InvalidDataException($"A {kind} is empty.");
                yield return new Versioned<T>(document, item.GetProperty("_etag").GetString()!);
            }
        }
    }

    static void Validate(T document)
    {
        DocumentKey.Require(document.CustomerId, "customerId");
        DocumentKey.Require(document.Id, "id");
    }
}
