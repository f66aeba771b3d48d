using System.Net;
using System.Text.Json;
using JisuDai.App.Security;
using JisuDai.Tests;

namespace JisuDai.Standalone.Tests;

/// <summary>Every error answer is an RFC 7807 problem with a trace id; one the app did not expect is a 500 that says nothing of the exception.</summary>
public sealed class ProblemAnswerTests
{
    [Fact]
    public async Task A_refusal_carries_a_trace_id_and_a_failure_nobody_handled_is_a_500_problem_without_the_exception()
    {
        AzuriteServer azurite = await AzuriteServer.StartAsync();
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        using HttpClient applicant = host.As("cust-problems", Roles.Applicant);

        using (HttpResponseMessage missing = await applicant.GetAsync("applications/nothing.cust-problems"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.False(string.IsNullOrEmpty((await ProblemOf(missing)).GetProperty("traceId").GetString()));
        }

        // Storage goes away under the running host: reading an application now fails in a way no handler expects.
        await azurite.DisposeAsync();
        using HttpResponseMessage failed = await applicant.GetAsync("applications/any.cust-problems");
        string body = await failed.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        JsonElement problem = await ProblemOf(failed);
        Assert.Equal(500, problem.GetProperty("status").GetInt32());
        Assert.Matches("^[0-9a-f]{32}$|^[0-9A-Z:]+$", problem.GetProperty("traceId").GetString());
        Assert.DoesNotContain("Exception", body);
        Assert.DoesNotContain(" at ", body);
        Assert.DoesNotContain("127.0.0.1", body);
        // The log has the failure under the same trace id (the console logger writes in the background: give it a moment).
        string traceId = problem.GetProperty("traceId").GetString()!;
        for (int i = 0; i < 50 && !host.Output.Contains(traceId); i++)
        {
            await Task.Delay(100);
        }

        Assert.Contains(traceId, host.Output);
    }

    static async Task<JsonElement> ProblemOf(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
