using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using JisuDai.Functions.Storage;

namespace JisuDai.Functions.Loans;

/// <summary>
/// Every booked loan, in Table storage <c>loanindex</c>, spread over <see cref="Shards"/> partitions by a hash of its
/// id, so the overdue sweep can walk all loans (documents are partitioned by customer) and do the shards in parallel.
/// </summary>
public sealed class LoanIndex(TableServiceClient tables)
{
    public const int Shards = 8;
    readonly OnceCreatedTable table = new(tables, "loanindex");

    public sealed record Entry(string LoanId, string CustomerId, string ApplicationId);

    public static string ShardOf(string loanId) => (SHA256.HashData(Encoding.UTF8.GetBytes(loanId))[0] % Shards).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async Task AddAsync(Entry entry, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        await client.UpsertEntityAsync(new TableEntity(ShardOf(entry.LoanId), entry.LoanId)
        {
            ["CustomerId"] = entry.CustomerId, ["ApplicationId"] = entry.ApplicationId,
        }, TableUpdateMode.Replace, cancellationToken);
    }

    public async IAsyncEnumerable<Entry> ShardAsync(int shard, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        string partition = shard.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await foreach (TableEntity e in client.QueryAsync<TableEntity>(x => x.PartitionKey == partition, cancellationToken: cancellationToken))
        {
            yield return new Entry(e.RowKey, e.GetString("CustomerId"), e.GetString("ApplicationId"));
        }
    }
}
