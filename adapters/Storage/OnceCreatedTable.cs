using Azure.Data.Tables;

namespace JisuDai.Adapters.Storage;

/// <summary>
/// A table that is created on first use and then used without asking again, sparing a storage round trip
/// per operation. Creating is idempotent, so two first uses at once do no harm.
/// </summary>
public sealed class OnceCreatedTable(TableServiceClient service, string name)
{
    readonly TableClient table = service.GetTableClient(name);
    volatile bool created;

    public async ValueTask<TableClient> GetAsync(CancellationToken cancellationToken)
    {
        if (!created)
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
            created = true;
        }

        return table;
    }
}
