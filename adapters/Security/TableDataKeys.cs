using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using JisuDai.Adapters.Storage;
using JisuDai.App.Security;

namespace JisuDai.Adapters.Security;

/// <summary>
/// Wrapped data keys in Table storage <c>datakeys</c>: a partition per owner, a row per data-key version, holding the
/// wrapped key and the key-encryption key version that wrapped it. Nothing here opens anything without the vault.
/// </summary>
public sealed class TableDataKeys(TableServiceClient tables) : IDataKeyStore
{
    public const string TableName = "datakeys";
    readonly OnceCreatedTable table = new(tables, TableName);

    public async Task<DataKey?> FindAsync(string owner, int version, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        NullableResponse<TableEntity> found = await client.GetEntityIfExistsAsync<TableEntity>(Partition(owner), Row(version), cancellationToken: cancellationToken);
        return found.HasValue ? Read(found.Value!) : null;
    }

    public async Task<DataKey> AddAsync(DataKey key, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        try
        {
            await client.AddEntityAsync(Write(key), cancellationToken);
            return (await FindAsync(key.Owner, key.Version, cancellationToken))!;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return await FindAsync(key.Owner, key.Version, cancellationToken)
                ?? throw new InvalidOperationException($"The data key of {key.Owner} was destroyed while it was being made.");
        }
    }

    public async Task<bool> ReplaceAsync(DataKey key, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        try
        {
            await client.UpdateEntityAsync(Write(key), new ETag(key.ETag ?? throw new ArgumentException("A replaced data key needs the ETag it was read with.", nameof(key))),
                TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return false;
        }
    }

    public async Task<bool> DestroyAsync(string owner, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        bool any = false;
        await foreach (TableEntity e in client.QueryAsync<TableEntity>(x => x.PartitionKey == Partition(owner), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await client.DeleteEntityAsync(e.PartitionKey, e.RowKey, ETag.All, cancellationToken);
            any = true;
        }

        return any;
    }

    public async IAsyncEnumerable<DataKey> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        await foreach (TableEntity e in client.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            yield return Read(e);
        }
    }

    static TableEntity Write(DataKey key) => new(Partition(key.Owner), Row(key.Version))
    {
        ["KeyId"] = key.Wrapped.KeyId, ["Algorithm"] = key.Wrapped.Algorithm, ["Wrapped"] = Convert.ToBase64String(key.Wrapped.Value),
        ["CreatedAt"] = key.CreatedAt, ["RewrappedAt"] = key.RewrappedAt,
    };

    static DataKey Read(TableEntity e) => new(e.PartitionKey, int.Parse(e.RowKey, CultureInfo.InvariantCulture),
        new WrappedKey(e.GetString("KeyId"), e.GetString("Algorithm"), Convert.FromBase64String(e.GetString("Wrapped"))),
        e.GetDateTimeOffset("CreatedAt")!.Value, e.GetDateTimeOffset("RewrappedAt"), e.ETag.ToString());

    static string Partition(string owner) =>
        owner.Length is > 0 and <= 200 && owner.All(c => c is not ('/' or '\\' or '#' or '?') && !char.IsControl(c))
            ? owner
            : throw new ArgumentException("An owner is a customer id or a named owner, with none of / \\ # ? or control characters.", nameof(owner));

    static string Row(int version) => version.ToString("D4", CultureInfo.InvariantCulture);
}
