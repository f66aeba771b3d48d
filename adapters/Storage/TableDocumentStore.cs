using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using JisuDai.Lending.Documents;

namespace JisuDai.Adapters.Storage;

/// <summary>
/// Documents in Azure Table storage (the local default, on Azurite), as JSON. A string property holds at most 32K
/// characters, so larger documents are split across numbered properties; an entity holds at most 1 MiB (strings count
/// twice, as UTF-16), so a document of more than <see cref="CompressAbove"/> characters (a loan with thousands of
/// repayments) is stored Brotli-compressed in binary properties instead (its JSON compresses about 20 to 1).
/// <para>
/// In one table, a document's partition key is its customer id and its row key its id. A kind may instead be spread
/// over several tables (<c>{name}00</c>, <c>{name}01</c>, …), each customer in one of them by a stable hash of the
/// customer id; there the partition key is the table's number and the row key <c>{customerId}|{id}</c>, so a customer's
/// documents are still one range of one partition, and many documents share a partition, which lets a batch of
/// replaces go as transactions of up to 100. Spread, a scan reads every table at once (one table's scan is a single
/// chain of continuation pages), and Azurite, whose cost per write grows with the size of the table written, stays
/// fast with a large book of loans.
/// </para>
/// </summary>
public sealed class TableDocumentStore<T> : IDocumentStore<T> where T : ICustomerDocument
{
    const int ChunkLength = 30_000;
    const string PartsProperty = "JsonParts";
    /// <summary>Documents longer than this many characters are stored compressed.</summary>
    public const int CompressAbove = 200_000;
    /// <summary>A binary property holds at most 64 KiB.</summary>
    const int BinaryChunk = 60_000;
    const string CompressedPartsProperty = "BrotliParts";
    /// <summary>A transaction holds at most 100 operations and 4 MiB; this leaves room for the envelope.</summary>
    const int TransactionCharacters = 3_000_000;
    /// <summary>Separates customer and id in a spread row key; neither may contain it (see <see cref="DocumentKey"/>).</summary>
    const char Separator = '|';

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

    bool Spread => tables.Length > 1;

    /// <summary>The number of <paramref name="customerId"/>'s table: a stable hash (FNV-1a of its UTF-16 code units), never the runtime's string hash, which changes between processes.</summary>
    int TableNumberOf(string customerId)
    {
        uint hash = 2166136261;
        foreach (char c in customerId)
        {
            hash = (hash ^ c) * 16777619;
        }

        return (int)(hash % (uint)tables.Length);
    }

    /// <summary>Where a customer's documents live: their table's number and partition key.</summary>
    (int Table, string PartitionKey) PartitionOf(string customerId)
    {
        if (!Spread)
        {
            return (0, customerId);
        }

        int table = TableNumberOf(customerId);
        return (table, table.ToString("00", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Where a document lives: its table's number, partition key and row key.</summary>
    (int Table, string PartitionKey, string RowKey) KeysOf(string customerId, string id)
    {
        (int table, string partition) = PartitionOf(customerId);
        return (table, partition, Spread ? $"{customerId}{Separator}{id}" : id);
    }

    async ValueTask<TableClient> TableAsync(int number, CancellationToken cancellationToken)
    {
        await MoveUnspreadOnceAsync(cancellationToken);
        return await tables[number].GetAsync(cancellationToken);
    }

    /// <summary>
    /// Documents written before the kind was spread over tables sit in one table named like the stem: move them into
    /// their tables before anything is read or written, then drop that table. A document is only added where it is
    /// absent, so a move interrupted and run again, or run by two instances at once, never overwrites a newer write.
    /// </summary>
    async ValueTask MoveUnspreadOnceAsync(CancellationToken cancellationToken)
    {
        if (moved || !Spread)
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
                    T document = ToVersioned(row).Document;
                    (TableEntity entity, int table, _) = ToEntity(document);
                    try
                    {
                        await (await tables[table].GetAsync(cancellationToken)).AddEntityAsync(entity, cancellationToken);
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
        (int number, string partition, string row) = KeysOf(customerId, id);
        TableClient table = await TableAsync(number, cancellationToken);
        NullableResponse<TableEntity> response = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
        return response.HasValue ? ToVersioned(response.Value!) : null;
    }

    public async Task<Versioned<T>> CreateAsync(T document, CancellationToken cancellationToken = default)
    {
        (TableEntity entity, int number, _) = ToEntity(document);
        TableClient table = await TableAsync(number, cancellationToken);
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
        (TableEntity entity, int number, _) = ToEntity(document);
        TableClient table = await TableAsync(number, cancellationToken);
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

    public async Task<bool> DeleteAsync(string customerId, string id, string expectedETag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(expectedETag);
        DocumentKey.Require(customerId, "customerId");
        DocumentKey.Require(id, "id");
        (int number, string partition, string row) = KeysOf(customerId, id);
        TableClient table = await TableAsync(number, cancellationToken);
        try
        {
            // The SDK answers a delete of a missing row with its 404 response rather than an exception.
            Response response = await table.DeleteEntityAsync(partition, row, new ETag(expectedETag), cancellationToken);
            return response.Status != 404;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            throw new ConcurrencyConflictException(kind, customerId, id, e);
        }
    }

    /// <summary>
    /// Documents of one partition go as transactions (up to 100 and 3 million characters each), partitions at once. A
    /// transaction is all or nothing, so one with a document changed meanwhile is sent again one document at a time,
    /// which tells which of them conflicted.
    /// </summary>
    public async Task<IReadOnlyList<Versioned<T>?>> ReplaceManyAsync(IReadOnlyList<Versioned<T>> documents, CancellationToken cancellationToken = default)
    {
        var entities = documents.Select((d, index) =>
        {
            ArgumentException.ThrowIfNullOrEmpty(d.ETag, nameof(documents));
            (TableEntity entity, int table, int characters) = ToEntity(d.Document);
            entity.ETag = new ETag(d.ETag);
            return (Index: index, Entity: entity, Table: table, Characters: characters);
        }).ToList();
        if (entities.DistinctBy(e => (e.Table, e.Entity.PartitionKey, e.Entity.RowKey)).Count() != entities.Count)
        {
            throw new ArgumentException("A document appears twice.", nameof(documents));
        }

        var replaced = new Versioned<T>?[documents.Count];
        var transactions = new List<List<(int Index, TableEntity Entity, int Table, int Characters)>>();
        foreach (var partition in entities.GroupBy(e => (e.Table, e.Entity.PartitionKey)))
        {
            List<(int, TableEntity, int, int)> current = [];
            int characters = 0;
            foreach (var e in partition)
            {
                if (current.Count == 100 || (current.Count > 0 && characters + e.Characters > TransactionCharacters))
                {
                    transactions.Add(current);
                    (current, characters) = ([], 0);
                }

                current.Add(e);
                characters += e.Characters;
            }

            transactions.Add(current);
        }

        await Parallel.ForEachAsync(transactions, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (transaction, ct) =>
        {
            TableClient table = await TableAsync(transaction[0].Table, ct);
            try
            {
                Response<IReadOnlyList<Response>> responses = await table.SubmitTransactionAsync(
                    transaction.Select(e => new TableTransactionAction(TableTransactionActionType.UpdateReplace, e.Entity, e.Entity.ETag)), ct);
                for (int i = 0; i < transaction.Count; i++)
                {
                    replaced[transaction[i].Index] = new Versioned<T>(documents[transaction[i].Index].Document, responses.Value[i].Headers.ETag!.Value.ToString());
                }
            }
            catch (TableTransactionFailedException e) when (e.Status == 412)
            {
                foreach ((int index, _, _, _) in transaction)
                {
                    try
                    {
                        replaced[index] = await ReplaceAsync(documents[index].Document, documents[index].ETag, ct);
                    }
                    catch (ConcurrencyConflictException)
                    {
                        replaced[index] = null;
                    }
                }
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                Versioned<T> missing = documents[transaction[e.FailedTransactionActionIndex ?? 0].Index];
                throw new DocumentNotFoundException(kind, missing.Document.CustomerId, missing.Document.Id, e);
            }
        });
        return replaced;
    }

    public async Task<IReadOnlyList<Versioned<T>>> ListByCustomerAsync(string customerId, CancellationToken cancellationToken = default)
    {
        DocumentKey.Require(customerId, nameof(customerId));
        (int number, string partition) = PartitionOf(customerId);
        TableClient table = await TableAsync(number, cancellationToken);
        // Spread, a customer's row keys run from "{customer}|" up to, not including, "{customer}}" ('}' follows '|').
        string filter = Spread
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {customerId + Separator} and RowKey lt {customerId + '}'}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        var documents = new List<Versioned<T>>();
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            documents.Add(ToVersioned(entity));
        }

        // Table storage returns rows in row-key order already; sort anyway so both stores agree by contract.
        return documents.OrderBy(d => d.Document.Id, StringComparer.Ordinal).ToList();
    }

    public async IAsyncEnumerable<Versioned<T>> ScanAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!Spread)
        {
            await foreach (Versioned<T> document in ScanTableAsync(0, cancellationToken))
            {
                yield return document;
            }

            yield break;
        }

        // Every table read at once, a page ahead of the reader at most, so a slow reader holds no more than that.
        var scanned = System.Threading.Channels.Channel.CreateBounded<Versioned<T>>(new System.Threading.Channels.BoundedChannelOptions(1000) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task reading = Task.WhenAll(Enumerable.Range(0, tables.Length).Select(async number =>
        {
            await foreach (Versioned<T> document in ScanTableAsync(number, stop.Token))
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

    async IAsyncEnumerable<Versioned<T>> ScanTableAsync(int number, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        TableClient table = await TableAsync(number, cancellationToken);
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested(); // a page is in memory: stop within it, not at its end
            yield return ToVersioned(entity);
        }
    }

    (TableEntity Entity, int Table, int Characters) ToEntity(T document)
    {
        DocumentKey.Require(document.CustomerId, "customerId");
        DocumentKey.Require(document.Id, "id");
        string json = JsonSerializer.Serialize(document, DocumentJson.Options);
        (int table, string partition, string row) = KeysOf(document.CustomerId, document.Id);
        var entity = new TableEntity(partition, row);
        if (json.Length > CompressAbove)
        {
            byte[] packed = Compress(json);
            int chunks = (packed.Length + BinaryChunk - 1) / BinaryChunk;
            entity[CompressedPartsProperty] = chunks;
            for (int i = 0; i < chunks; i++)
            {
                entity[$"Br{i}"] = packed.AsSpan(i * BinaryChunk, Math.Min(BinaryChunk, packed.Length - i * BinaryChunk)).ToArray();
            }

            return (entity, table, packed.Length * 4 / 3 + 4); // sent base64: what a transaction carries
        }

        int parts = (json.Length + ChunkLength - 1) / ChunkLength;
        entity[PartsProperty] = parts;
        for (int i = 0; i < parts; i++)
        {
            entity[$"Json{i}"] = json.Substring(i * ChunkLength, Math.Min(ChunkLength, json.Length - i * ChunkLength));
        }

        return (entity, table, json.Length);
    }

    static Versioned<T> ToVersioned(TableEntity entity)
    {
        string json = entity.GetInt32(CompressedPartsProperty) is { } chunks
            ? Decompress(Enumerable.Range(0, chunks).SelectMany(i => entity.GetBinary($"Br{i}") ?? []).ToArray())
            : string.Concat(Enumerable.Range(0, entity.GetInt32(PartsProperty) ?? 0).Select(i => entity.GetString($"Json{i}")));
        T document = JsonSerializer.Deserialize<T>(json, DocumentJson.Options)
            ?? throw new InvalidDataException($"Row {entity.PartitionKey}/{entity.RowKey} holds no document.");
        return new Versioned<T>(document, entity.ETag.ToString());
    }

    static byte[] Compress(string json)
    {
        using var packed = new MemoryStream();
        using (var brotli = new System.IO.Compression.BrotliStream(packed, System.IO.Compression.CompressionLevel.Fastest))
        {
            brotli.Write(System.Text.Encoding.UTF8.GetBytes(json));
        }

        return packed.ToArray();
    }

    static string Decompress(byte[] packed)
    {
        using var brotli = new System.IO.Compression.BrotliStream(new MemoryStream(packed), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(brotli, System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
