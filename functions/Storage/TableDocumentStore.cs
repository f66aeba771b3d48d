using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using JisuDai.Lending.Documents;

namespace JisuDai.Functions.Storage;

/// <summary>
/// Documents in Azure Table storage (the local default, on Azurite): partition key = customer id,
/// row key = document id, the document as JSON. A string property holds at most 32K characters, so
/// larger documents are split across numbered properties.
/// </summary>
public sealed class TableDocumentStore<T> : IDocumentStore<T> where T : ICustomerDocument
{
    const int ChunkLength = 30_000;
    const string PartsProperty = "JsonParts";

    readonly OnceCreatedTable tables;
    readonly string kind = typeof(T).Name;

    public TableDocumentStore(TableServiceClient service, string tableName)
    {
        tables = new OnceCreatedTable(service, tableName);
    }

    public async Task<Versioned<T>?> FindAsync(string customerId, string id, CancellationToken cancellationToken = default)
    {
        DocumentKey.Require(customerId, nameof(customerId));
        DocumentKey.Require(id, nameof(id));
        TableClient table = await tables.GetAsync(cancellationToken);
        NullableResponse<TableEntity> response =
            await table.GetEntityIfExistsAsync<TableEntity>(customerId, id, cancellationToken: cancellationToken);
        return response.HasValue ? ToVersioned(response.Value!) : null;
    }

    public async Task<Versioned<T>> CreateAsync(T document, CancellationToken cancellationToken = default)
    {
        TableEntity entity = ToEntity(document);
        TableClient table = await tables.GetAsync(cancellationToken);
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
        TableClient table = await tables.GetAsync(cancellationToken);
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
        TableClient table = await tables.GetAsync(cancellationToken);
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
        TableClient table = await tables.GetAsync(cancellationToken);
        await foreach (TableEntity entity in table.QueryAsync<TableEntity>(maxPerPage: 1000, cancellationToken: cancellationToken))
        {
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
