using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using JisuDai.Adapters.Configuration;
using JisuDai.Adapters.Storage;
using JisuDai.App.Notifications;
using JisuDai.App.Security;

namespace JisuDai.Adapters.Notifications;

/// <summary>
/// Phones that asked for no more messages (transactional ones still go), keyed by a keyed fingerprint of the number,
/// so the list holds no phone number and none can be confirmed by hashing guesses. Rows written before the key
/// (an unkeyed SHA-256, upper-case hex) are still honoured, and moved to the keyed form when first found.
/// </summary>
public sealed class OptOuts(StorageAccount storage, PersonalData personalData) : IOptOuts
{
    public const string TableName = "optouts";
    const string Partition = "sms";

    readonly OnceCreatedTable tables = new(storage.Tables, TableName);

    public async Task AddAsync(string phone, string source, DateTimeOffset at, CancellationToken cancellationToken)
    {
        TableClient table = await tables.GetAsync(cancellationToken);
        await table.UpsertEntityAsync(new TableEntity(Partition, Key(phone)) { ["Source"] = source, ["At"] = at }, cancellationToken: cancellationToken);
    }

    public async Task<bool> ContainsAsync(string phone, CancellationToken cancellationToken)
    {
        TableClient table = await tables.GetAsync(cancellationToken);
        if ((await table.GetEntityIfExistsAsync<TableEntity>(Partition, Key(phone), cancellationToken: cancellationToken)).HasValue)
        {
            return true;
        }

        NullableResponse<TableEntity> legacy = await table.GetEntityIfExistsAsync<TableEntity>(Partition, LegacyDigest(phone), cancellationToken: cancellationToken);
        if (!legacy.HasValue)
        {
            return false;
        }

        await table.UpsertEntityAsync(new TableEntity(Partition, Key(phone)) { ["Source"] = legacy.Value!.GetString("Source"), ["At"] = legacy.Value.GetDateTimeOffset("At") },
            cancellationToken: cancellationToken);
        await table.DeleteEntityAsync(Partition, legacy.Value.RowKey, ETag.All, cancellationToken);
        return true;
    }

    string Key(string phone) => personalData.Fingerprint("sms-opt-out", phone);

    static string LegacyDigest(string phone) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(phone)));
}
