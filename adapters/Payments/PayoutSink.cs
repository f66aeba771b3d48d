using Azure;
using Azure.Data.Tables;
using JisuDai.Adapters.Storage;
using JisuDai.App.Applications;
using JisuDai.App.Security;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Products;

namespace JisuDai.Adapters.Payments;

/// <summary>
/// The local payout sink: records each transfer in Table storage <c>payouts</c> (one row per application, so paying
/// twice records once and returns the first receipt). A bank or payment-provider adapter replaces it in production.
/// </summary>
public sealed class PayoutSink(TableServiceClient tables, ApplicationStore applications, PersonalData personalData, TimeProvider clock) : IPayouts
{
    readonly OnceCreatedTable table = new(tables, "payouts");

    public async Task<PayoutReceipt> PayAsync(string customerId, string applicationId, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        NullableResponse<TableEntity> existing = await client.GetEntityIfExistsAsync<TableEntity>(customerId, applicationId, cancellationToken: cancellationToken);
        if (existing.HasValue)
        {
            return Receipt(existing.Value!);
        }

        LoanApplication application = await applications.GetAsync(customerId, applicationId, cancellationToken);
        PricedOffer offer = application.Offer ?? throw new InvalidOperationException($"Application {applicationId} has no offer to pay out.");
        string account = personalData.Open<ApplicantIdentitySealed>(application.ProtectedIdentity, application.Id).BankAccount;
        var entity = new TableEntity(customerId, applicationId)
        {
            ["TransferId"] = $"tr-{applicationId}", ["Amount"] = offer.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AccountEnding"] = account[^4..], ["At"] = clock.GetUtcNow(),
        };
        try
        {
            await client.AddEntityAsync(entity, cancellationToken);
            return Receipt(entity);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return Receipt((await client.GetEntityAsync<TableEntity>(customerId, applicationId, cancellationToken: cancellationToken)).Value);
        }
    }

    /// <summary>Every transfer of a customer (the tests and a developer read the sink).</summary>
    public async Task<IReadOnlyList<PayoutReceipt>> ListAsync(string customerId, CancellationToken cancellationToken)
    {
        TableClient client = await table.GetAsync(cancellationToken);
        var receipts = new List<PayoutReceipt>();
        await foreach (TableEntity e in client.QueryAsync<TableEntity>(x => x.PartitionKey == customerId, cancellationToken: cancellationToken))
        {
            receipts.Add(Receipt(e));
        }

        return receipts;
    }

    static PayoutReceipt Receipt(TableEntity e) => new(e.GetString("TransferId"), decimal.Parse(e.GetString("Amount"), System.Globalization.CultureInfo.InvariantCulture), e.GetString("AccountEnding"), e.GetDateTimeOffset("At")!.Value);
}
