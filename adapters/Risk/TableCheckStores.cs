using Azure;
using Azure.Data.Tables;
using JisuDai.Adapters.Storage;
using JisuDai.App.Security;
using JisuDai.Lending.Customers;
using JisuDai.Risk.Checks;

namespace JisuDai.Adapters.Risk;

/// <summary>
/// The blacklist in Table storage <c>blacklist</c>: a partition per kind, the row key a keyed fingerprint of the
/// normalised value, the value itself sealed (AES-GCM) since ID numbers, phones and names are personal data; with
/// source, reason and expiry. Values are sealed under the blacklist's own data key (owner <c>:blacklist</c>). Read through a 15-second cache: an entry added here applies at once in this instance
/// and within 15 s in others.
/// </summary>
public sealed class TableBlacklist(TableServiceClient tables, PersonalData personalData) : IBlacklistStore
{
    static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(15);
    readonly OnceCreatedTable table = new(tables, "blacklist");
    (IReadOnlyList<BlacklistEntry> Entries, DateTimeOffset ReadAt)? cache;

    public async Task<IReadOnlyList<BlacklistEntry>> ListActiveAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (cache is not { } c || now - c.ReadAt > CacheFor || now < c.ReadAt)
        {
            TableClient client = await table.GetAsync(cancellationToken);
            var entries = new List<BlacklistEntry>();
            await foreach (TableEntity e in client.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
            {
                string record = $"{e.PartitionKey}/{e.RowKey}";
                string value = await personalData.OpenAsync<string>(e.GetString("Value"), record, cancellationToken);
                if (PersonalData.IsLegacy(e.GetString("Value")))
                {
                    // Sealed before envelope encryption: resealed under the blacklist's data key as it is read (a
                    // concurrent change wins, and this entry is resealed on a later read).
                    e["Value"] = await personalData.SealAsync(value, DataOwners.Blacklist, record, cancellationToken);
                    try
                    {
                        await client.UpdateEntityAsync(e, e.ETag, TableUpdateMode.Replace, cancellationToken);
                    }
                    catch (RequestFailedException conflict) when (conflict.Status is 404 or 412)
                    {
                    }
                }

                entries.Add(new BlacklistEntry(e.PartitionKey, value, e.GetString("Source"), e.GetString("Reason"), e.GetDateTimeOffset("ExpiresAt")));
            }

            cache = c = (entries, now);
        }

        return c.Entries.Where(e => e.ExpiresAt is null || e.ExpiresAt > now).ToList();
    }

    public async Task AddAsync(BlacklistEntry entry, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        string key = Key(entry.Kind, entry.Value);
        await client.UpsertEntityAsync(new TableEntity(entry.Kind, key)
        {
            ["Value"] = await personalData.SealAsync(entry.Value, DataOwners.Blacklist, $"{entry.Kind}/{key}", cancellationToken), ["Source"] = entry.Source, ["Reason"] = entry.Reason, ["ExpiresAt"] = entry.ExpiresAt,
        }, TableUpdateMode.Replace, cancellationToken);
        cache = null;
    }

    public async Task<bool> RemoveAsync(string kind, string value, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        cache = null;
        if (!(await client.GetEntityIfExistsAsync<TableEntity>(kind, Key(kind, value), cancellationToken: cancellationToken)).HasValue)
        {
            return false;
        }

        await client.DeleteEntityAsync(kind, Key(kind, value), ETag.All, cancellationToken);
        return true;
    }

    string Key(string kind, string value) => personalData.Fingerprint(kind, kind == "name" ? NameMatching.Normalise(value) : value);
}

/// <summary>
/// Sightings in Table storage <c>velocity</c>: a partition per identifier (kind and a keyed fingerprint of the value,
/// so no phone or ID number is a key or can be found by hashing guesses), a row per application (so recording twice is
/// one row), with the time and the customer's fingerprint.
/// </summary>
public sealed class TableVelocity(TableServiceClient tables, PersonalData personalData) : IVelocityStore
{
    readonly OnceCreatedTable table = new(tables, "velocity");

    public async Task RecordAsync(string kind, string value, string applicationKey, Sighting sighting, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        await client.UpsertEntityAsync(new TableEntity(Partition(kind, value), applicationKey)
        {
            ["At"] = sighting.At, ["Customer"] = personalData.Fingerprint("customer", sighting.Customer),
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<IReadOnlyList<Sighting>> SeenAsync(string kind, string value, DateTimeOffset since, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        string partition = Partition(kind, value);
        var seen = new List<Sighting>();
        await foreach (TableEntity e in client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition} and At ge {since}"), cancellationToken: cancellationToken))
        {
            seen.Add(new Sighting(e.GetDateTimeOffset("At")!.Value, e.GetString("Customer")));
        }

        return seen;
    }

    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        await TableRows.DeleteWhereAsync(await table.GetAsync(cancellationToken), TableClient.CreateQueryFilter($"At lt {before}"), cancellationToken);

    string Partition(string kind, string value) => $"{kind}-{personalData.Fingerprint(kind, value)}";
}
