using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JisuDai.Tests;

namespace JisuDai.Standalone.Tests;

/// <summary>
/// <c>POST /api/risk/score</c> on a host with an empty registry: it trains the default model on first start and scores
/// with zero configuration, and refuses bad fields with problem details naming each one.
/// </summary>
public sealed class RiskScoringTests : IAsyncLifetime
{
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    [Fact]
    public async Task A_fresh_host_trains_the_default_model_and_scores_an_application_with_reasons_in_both_languages()
    {
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));

        JsonElement score = await ScoreAsync(host, new
        {
            termMonths = 36, amount = 9000, age = 23, housing = "rent", purpose = "new-car", employmentYears = 0.5,
            checkingBalance = -20, savingsBalance = 50, hasRegisteredPhone = false,
        });
        JsonElement safer = await ScoreAsync(host, new
        {
            termMonths = 6, amount = 1000, age = 45, housing = "own", purpose = "used-car", employmentYears = 10,
            checkingBalance = 5000, savingsBalance = 5000, creditHistory = "critical", hasRegisteredPhone = true,
        });

        Assert.InRange(score.GetProperty("probabilityOfDefault").GetDouble(), 0, 1);
        Assert.True(safer.GetProperty("score").GetInt32() > score.GetProperty("score").GetInt32());
        Assert.Matches("^[A-E]$", score.GetProperty("band").GetString());
        Assert.Matches("^[0-9a-f]{16}$", score.GetProperty("modelVersion").GetString());
        JsonElement[] reasons = score.GetProperty("reasons").EnumerateArray().ToArray();
        Assert.Equal(4, reasons.Length);
        Assert.All(reasons, r =>
        {
            Assert.NotEmpty(r.GetProperty("text").GetProperty("en").GetString()!);
            Assert.NotEmpty(r.GetProperty("text").GetProperty("zh-CN").GetString()!);
            Assert.True(r.GetProperty("pointsLost").GetDouble() > 0);
        });
        Assert.Contains("Training the default model", host.Output);
    }

    [Fact]
    public async Task Bad_fields_get_a_400_naming_each_field()
    {
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));

        using HttpResponseMessage response = await PostUntilReadyAsync(host, """{"termMonths":"x","housing":"castle","salary":1,"age":[30]}""");
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(["age", "housing", "salary", "termMonths"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());

        using HttpResponseMessage notJson = await PostUntilReadyAsync(host, "[1,2]");
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
    }

    static async Task<JsonElement> ScoreAsync(StandaloneProcess host, object body)
    {
        using HttpResponseMessage response = await PostUntilReadyAsync(host, JsonSerializer.Serialize(body));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Posts, retrying while the host answers 503 because it is still training its first model.</summary>
    static async Task<HttpResponseMessage> PostUntilReadyAsync(StandaloneProcess host, string json)
    {
        for (int attempt = 0; ; attempt++)
        {
            HttpResponseMessage response = await host.Client.PostAsync("risk/score", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 5)
            {
                return response;
            }

            Assert.Equal("10", response.Headers.GetValues("Retry-After").Single());
            response.Dispose();
        }
    }
}
