using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using JisuDai.Lending.Documents;

namespace JisuDai.Functions.Storage;

/// <summary>
/// Documents in Azure Table storage (the local default, on Azurite): partition key = customer id,
/// row key = document id, the document as JSON. A string property holds at most 32K characters, so
/// larger documents are split across numbered properties.
/// A kind may be spread over several tables (<c>{name}00</c>, <c>{name}01</c>, …), each customer in one of them by a
/// stable hash of the customer id. A scan then reads every table at once, where one table's scan is a single chain of
/// continuation pages; and Azurite, whose cost per write grows with the size of the table written, stays fast with a
/// large book of loans.
/// </summary>
public sealed class TableDocumentStore<T> : IDocumentStore<T> where T : ICustomerDocument
{
    const int ChunkLength = 30_000;
    const string PartsProperty = "JsonParts";

    readonly OnceCreatedTable[] tables;
    readonly TableServiceClient service;
    readonly string tableName;
    readonly string kind = typeof(T).Name;
    readonly SemaphoreSlim moving = new(1, 1);
    volatile bool moved;

    /// <param name="service">The storage account's table service.</param>
    /// <param name="tableName">The table, or with <paramref name="tableCount"/> above 1 the stem of the tables' names.</param>
    /// <param name="tableCount">How many tables the documents are spread over (1 to 100).</param>
    public TableDocumentStore(TableServiceClient service, string tableName, int tableCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tableCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tableCount, 100);
        this.service = service;
        this.tableName = tableName;
        tables = tableCount == 1
            ? [new OnceCreatedTable(service, tableName)]
            : [.. Enumerable.Range(0, tableCount).Select(i => new OnceCreatedTable(service, $"{tableName}{i:00}"))];
    }

    /// <summary>The table of <paramref name="customerId"/>'s documents: a stable hash (FNV-1a of its UTF-16 code units), never the runtime's string hash, which changes between processes.</summary>
    OnceCreatedTable TableOf(string customerId)
    {
        if (tables.Length == 1)
        {
            return tables[0];
        }

        uint hash = 2166136261;
        foreach (char c in customerId)
        {
            hash = (hash ^ c) * 16777619;
        }

        return tables[hash % (uint)tables.Length];
    }

    async ValueTask<TableClient> TableOfAsync(string customerId, CancellationToken cancellationToken)
    {
        await MoveUnspreadOnceAsync(cancellationToken);
        return await TableOf(customerId).GetAsync(cancellationToken);
    }

    /// <summary>
    /// Documents written before the kind was spread over tables sit in one table named like the stem: move them into
    /// their tables before anything is read or written, then drop that table. A document is only added where it is
    /// absent, so a move interrupted and run again, or run by two instances at once, never overwrites a newer write.
    /// </summary>
    async ValueTask MoveUnspreadOnceAsync(CancellationToken cancellationToken)
    {
        if (moved || tables.Length == 1)
        {
            return;
        }

        await moving.WaitAsync(cancellationToken);
        try
        {
            if (moved)
            {
                return;
            }

            bool exists = false;
            await foreach (Azure.Data.Tables.Models.TableItem _ in service.QueryAsync(TableServiceClient.CreateQueryFilter($"TableName eq {tableName}"), cancellationToken: cancellationToken))
            {
                exists = true;
            }

            if (exists)
            {
                TableClient unspread = service.GetTableClient(tableName);
                await foreach (TableEntity row in unspread.QueryAsync<TableEntity>(maxPerPage: 1000, cancellationToken: cancellationToken))
                {
                    var copy = new TableEntity(row.PartitionKey, row.RowKey);
                    foreach ((string property, object value) in row.Where(p => p.Key is not ("odata.etag" or "Timestamp" or "PartitionKey" or "RowKey")))
                    {
                        copy[property] = value;
                    }

                    try
                    {
                        await (await TableOf(row.PartitionKey).GetAsync(cancellationToken)).AddEntityAsync(copy, cancellationToken);
                    }
                    catch (RequestFailedException e) when (e.Status == 409)
                    {
                        // Moved already, and perhaps changed since: leave it.
                    }
                }

                await unspread.DeleteAsync(cancellationToken);
            }

            moved = true;
        }
        finally
        {
            moving.Release();
        }
    }

    public async Task<Versioned<T>?> FindAsync(string customerId, string id, CancellationToken cancellationToken = default)
    {
        DocumentKey.Require(customerId, nameof(customerId));
        DocumentKey.Require(id, nameof(id));
        TableClient table = await TableOfAsync(customerId, cancellationToken);
        NullableResponse<TableEntity> response =
            await table.GetEntityIfExistsAsync<TableEntity>(customerId, id, cancellationToken: cancellationToken);
        return response.HasValue ? ToVersioned(response.Value!) : null;
    }

    public async Task<Versioned<T>> CreateAsync(T document, CancellationToken cancellationToken = default)
    {
        TableEntity entity = ToEntity(document);
        TableClient table = await TableOfAsync(document.CustomerId, cancellationToken);
        try
        {
            Response response = await table.AddEntityAsync(entity, cancellationToken);
            return new Versioned<T>(document, response.Headers.ETag!.Value.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            throw new DocumentAlreadyExistsException(kind, document.CustomerId, document.Id, e);
        }
    }

    public async Task<Versioned<T>> ReplaceAsync(T document, string expectedETag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(expectedETag);
        TableEntity entity = ToEntity(document);
        TableClient table = await TableOfAsync(document.CustomerId, cancellationToken);
        try
        {
            Response response = await table.UpdateEntityAsync(entity, new ETag(expectedETag), TableUpdateMode.Replace, cancellationToken);
            return new Versioned<T>(document, response.Headers.ETag!.Value.ToString());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new DocumentNotFoundException(kind, document.CustomerId, document.Id, e);
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new ConcurrencyConflictException(kind, document.CustomerId, document.Id, e);
        }
    }

    public async Task<IReadOnlyList<Versioned<T>>> ListByCustomerAsync(string customerId, CancellationToken cancellationToken = default)
    {
        DocumentKey.Require(customerId, nameof(customerId));
        TableClient table = await TableOfAsync(customerId, cancellationToken);
        var documents = new List<Versioned<T>>();
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {customerId}");
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            documents.Add(ToVersioned(entity));
        }

        // Table storage returns rows in row-key order already; sort anyway so both stores agree by contract.
        return documents.OrderBy(d => d.Document.Id, StringComparer.Ordinal).ToList();
    }

    public async IAsyncEnumerable<Versioned<T>> ScanAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (tables.Length == 1)
        {
            await foreach (Versioned<T> document in ScanTableAsync(tables[0], cancellationToken))
            {
                yield return document;
            }

            yield break;
        }

        await MoveUnspreadOnceAsync(cancellationToken);
        // Every table read at once, a page ahead of the reader at most, so a slow reader holds no more than that.
        var scanned = System.Threading.Channels.Channel.CreateBounded<Versioned<T>>(new System.Threading.Channels.BoundedChannelOptions(1000) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task reading = Task.WhenAll(tables.Select(async table =>
        {
            await foreach (Versioned<T> document in ScanTableAsync(table, stop.Token))
            {
                await scanned.Writer.WriteAsync(document, stop.Token);
            }
        })).ContinueWith(all => scanned.Writer.Complete(all.IsCompletedSuccessfully ? null
            // A stopped scan must never look finished to the reader: it would take a partial scan for the whole.
            : all.Exception?.InnerException ?? new OperationCanceledException("The scan was stopped.", stop.Token)), TaskScheduler.Default);
        try
        {
            await foreach (Versioned<T> document in scanned.Reader.ReadAllAsync(cancellationToken))
            {
                yield return document;
            }
        }
        finally
        {
            // The reader stopped early or failed: stop the tables' scans before leaving.
            await stop.CancelAsync();
            await reading;
        }
    }

    static async IAsyncEnumerable<Versioned<T>> ScanTableAsync(OnceCreatedTable once, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        TableClient table = await once.GetAsync(cancellationToken);
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested(); // a page is in memory: stop within it, not at its end
            yield return ToVersioned(entity);
        }
    }

    static TableEntity ToEntity(T document)
    {
        DocumentKey.Require(document.CustomerId, "customerId");
        DocumentKey.Require(document.Id, "id");
        string json = JsonSerializer.Serialize(document, DocumentJson.Options);
        var entity = new TableEntity(document.CustomerId, document.Id);
        int parts = (json.Length + ChunkLength - 1) / ChunkLength;
        entity[PartsProperty] = parts;
        for (int i = 0; i < parts; i++)
        {
            entity[$"Json{i}"] = json.Substring(i * ChunkLength, Math.Min(ChunkLength, json.Length - i * ChunkLength));
        }

        return entity;
    }

    static Versioned<T> ToVersioned(TableEntity entity)
    {
        int parts = entity.GetInt32(PartsProperty) ?? 0;
        string json = string.Concat(Enumerable.Range(0, parts).Select(i => entity.GetString($"Json{i}")));
        T document = JsonSerializer.Deserialize<T>(json, DocumentJson.Options)
            ?? throw new InvalidDataException($"Row {entity.PartitionKey}/{entity.RowKey} holds no document.");
        return new Versioned<T>(document, entity.ETag.ToString());
    }
}
