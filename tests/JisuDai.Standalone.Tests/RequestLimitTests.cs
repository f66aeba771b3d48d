using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JisuDai.Tests;

namespace JisuDai.Standalone.Tests;

/// <summary>The app's own limits on what a borrower's app sends: per account and per address, 429 with Retry-After, nothing done.</summary>
public sealed class RequestLimitTests : IAsyncLifetime
{
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    static async Task AssertTooManyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, response.Headers.ToString());
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("retryAfterSeconds").GetInt32() >= 1);
        Assert.True(problem.TryGetProperty("traceId", out _), problem.ToString());
    }

    /// <summary>Windows are whole minutes (and hours) of the clock: start well inside one, so a run does not straddle two.</summary>
    static async Task InsideOneWindowAsync()
    {
        while (DateTime.UtcNow.Second >= 40)
        {
            await Task.Delay(500);
        }
    }

    [Fact]
    public async Task One_account_submitting_application_after_application_is_stopped_and_others_are_not()
    {
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        HttpClient flooder = host.As("c-flood", "applicant");
        async Task<HttpResponseMessage> SubmitAsync(HttpClient client, int n)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "applications") { Content = JsonContent.Create(new { name = "Zhang San" }) };
            request.Headers.Add("Idempotency-Key", $"k-{n}");
            return await client.SendAsync(request);
        }

        await InsideOneWindowAsync();
        for (int i = 0; i < 10; i++)
        {
            using HttpResponseMessage refused = await SubmitAsync(flooder, i);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode); // an incomplete body: counted all the same
        }

        using (HttpResponseMessage eleventh = await SubmitAsync(flooder, 10))
        {
            await AssertTooManyAsync(eleventh);
        }

        using HttpResponseMessage other = await SubmitAsync(host.As("c-other", "applicant"), 0);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);

        // Sign-in requests per address: 60 a minute, whatever number they are for.
        await InsideOneWindowAsync();
        HttpStatusCode[] statuses = await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
        {
            using HttpResponseMessage r = await host.Anonymous.PostAsJsonAsync("auth/codes", new { phone = $"not-a-phone-{i}" });
            return r.StatusCode;
        }));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.BadRequest, s));
        using HttpResponseMessage sixtyFirst = await host.Anonymous.PostAsJsonAsync("auth/tokens", new { phone = "+8613800138000", code = "123456" });
        await AssertTooManyAsync(sixtyFirst);
    }
}
