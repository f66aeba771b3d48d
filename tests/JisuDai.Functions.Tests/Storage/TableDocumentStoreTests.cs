using Azure.Data.Tables;
using JisuDai.Functions.Storage;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Documents;
using JisuDai.Tests;

namespace JisuDai.Functions.Tests.Storage;

/// <summary>The document-store contract against Table storage on Azurite.</summary>
public sealed class TableDocumentStoreTests(AzuriteFixture azurite) : DocumentStoreContract, IClassFixture<AzuriteFixture>
{
    protected override IDocumentStore<LoanApplication> NewStore() =>
        new TableDocumentStore<LoanApplication>(
            new TableServiceClient(azurite.Server.ConnectionString), $"applications{Guid.NewGuid():N}");
}
