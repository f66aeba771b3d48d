namespace JisuDai.Tests;

/// <summary>One Azurite per test class that asks for it.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    AzuriteServer? server;

    public AzuriteServer Server => server ?? throw new InvalidOperationException("Azurite has not started.");

    public async Task InitializeAsync() => server = await AzuriteServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
