using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using JisuDai.Adapters.Configuration;
using JisuDai.Adapters.Storage;
using JisuDai.App.Notifications;

namespace JisuDai.Adapters.Notifications;

/// <summary>
/// Phones that asked for no more messages (transactional ones still go). Keyed by a SHA-256 digest of the
/// number, so the list does not hold phone numbers in clear.
/// </summary>
public sealed class OptOuts(StorageAccount storage) : IOptOuts
{
    public const string TableName = "optouts";
    const string Partition = "sms";

    readonly OnceCreatedTable tables = new(storage.Tables, TableName);

    public async Task AddAsync(string phone, string source, DateTimeOffset at, CancellationToken cancellationToken)
    {
        TableClient table = await tables.GetAsync(cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(Partition, Digest(phone)) { ["Source"] = source, ["At"] = at }, cancellationToken: cancellationToken);
    }

    public async Task<bool> ContainsAsync(string phone, CancellationToken cancellationToken)
    {
        TableClient table = await tables.GetAsync(cancellationToken);
        return (await table.GetEntityIfExistsAsync<TableEntity>(Partition, Digest(phone), cancellationToken: cancellationToken)).HasValue;
    }

    static string Digest(string phone) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(phone)));
}
