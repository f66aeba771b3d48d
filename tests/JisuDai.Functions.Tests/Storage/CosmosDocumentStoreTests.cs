using JisuDai.Adapters.Storage;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Loans;
using JisuDai.Tests;
using JisuDai.Lending.Documents;
using Microsoft.Azure.Cosmos;

namespace JisuDai.Functions.Tests.Storage;

/// <summary>The document-store contract against a local server speaking the Cosmos DB SQL API.</summary>
public sealed class CosmosDocumentStoreTests : DocumentStoreContract, IClassFixture<CosmosServer>, IDisposable
{
    // The local server accepts any key; the SDK only needs it to be base64 to sign requests.
    static readonly string AnyKey = Convert.ToBase64String("jisudai-local-cosmos-key-for-tests"u8);

    readonly CosmosClient client;

    public CosmosDocumentStoreTests(CosmosServer server)
    {
        client = new CosmosClient(server.Endpoint, AnyKey, new CosmosClientOptions
        {
            ConnectionMode = ConnectionMode.Gateway,
            LimitToEndpoint = true,
            UseSystemTextJsonSerializerWithOptions = DocumentJson.Options,
            // The local server's certificate is self-signed; trusted here for loopback only.
            HttpClientFactory = () => new HttpClient(new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (request, _, _, _) => request.RequestUri?.Host == "127.0.0.1",
            }),
        });
    }

    protected override IDocumentStore<LoanApplication> NewStore()
    {
        Database database = client.CreateDatabaseIfNotExistsAsync("jisudai").GetAwaiter().GetResult().Database;
        Container container = database.CreateContainerIfNotExistsAsync($"applications{Guid.NewGuid():N}", CosmosContainers.PartitionKeyPath)
            .GetAwaiter().GetResult().Container;
        return new CosmosDocumentStore<LoanApplication>(container);
    }

    protected override IDocumentStore<Loan> NewLoanStore()
    {
        Database database = client.CreateDatabaseIfNotExistsAsync("jisudai").GetAwaiter().GetResult().Database;
        Container container = database.CreateContainerIfNotExistsAsync($"loans{Guid.NewGuid():N}", CosmosContainers.PartitionKeyPath).GetAwaiter().GetResult().Container;
        return new CosmosDocumentStore<Loan>(container);
    }

    const string MissingReadUnsupported =
        "@vercel/cosmosdb-server 1.0.1 answers a point read of a missing document with 500 (a crash reading its " +
        "partition key) where Cosmos DB answers 404; run against a real account or the emulator to cover this.";

    [Fact(Skip = MissingReadUnsupported)]
    public override Task A_missing_document_is_null_and_another_customers_document_is_not_visible() =>
        base.A_missing_document_is_null_and_another_customers_document_is_not_visible();

    [Fact(Skip = MissingReadUnsupported)]
    public override Task Replacing_a_missing_document_fails_as_not_found() =>
        base.Replacing_a_missing_document_fails_as_not_found();

    public void Dispose() => client.Dispose();
}
