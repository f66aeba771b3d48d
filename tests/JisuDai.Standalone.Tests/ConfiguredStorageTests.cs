using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using JisuDai.Lending.Ledger;
using JisuDai.Tests;

namespace JisuDai.Standalone.Tests;

/// <summary>
/// The standalone host pointed at storage it did not start (an Azurite of the test's own): it must start
/// nothing, and its queue trigger, timers and HTTP errors must behave as under Azure Functions.
/// </summary>
public sealed class ConfiguredStorageTests : IAsyncLifetime
{
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    StandaloneProcess Start(Dictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            // Retry failed messages at once so five tries take seconds, not minutes.
            ["AzureFunctionsJobHost__extensions__queues__visibilityTimeout"] = "00:00:00",
            ["AzureFunctionsJobHost__extensions__queues__maxPollingInterval"] = "00:00:00.500",
        };
        foreach ((string key, string value) in extra ?? [])
        {
            settings[key] = value;
        }

        return StandaloneProcess.Start(settings);
    }

    [Fact]
    public async Task With_storage_configured_it_starts_no_Azurite_and_reports_healthy()
    {
        await using StandaloneProcess host = Start();
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));

        JsonElement health = await host.Client.GetFromJsonAsync<JsonElement>("health");

        Assert.Null(host.AzuriteProcessId);
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal(["storage", "taskHub"], health.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Contains("devstoreaccount1", health.ToString()); // staff see where storage is

        // Anyone else learns only whether it answers.
        JsonElement anonymous = await host.Anonymous.GetFromJsonAsync<JsonElement>("health");
        Assert.Equal("Healthy", anonymous.GetProperty("status").GetString());
        Assert.All(anonymous.GetProperty("checks").EnumerateArray(), c => Assert.Equal(["name", "healthy"], c.EnumerateObject().Select(p => p.Name)));
        Assert.DoesNotContain("devstoreaccount1", anonymous.ToString());
    }

    [Fact]
    public async Task Health_is_503_naming_the_failed_check_when_storage_goes_away()
    {
        await using StandaloneProcess host = Start();
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));

        await azurite.DisposeAsync();
        using HttpResponseMessage response = await host.Client.GetAsync("health");
        JsonElement health = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", health.GetProperty("status").GetString());
        JsonElement storage = health.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "storage");
        Assert.False(storage.GetProperty("healthy").GetBoolean());
    }

    [Fact]
    public async Task A_message_that_keeps_failing_goes_to_the_poison_queue_after_five_tries_and_good_ones_are_handled_once()
    {
        var queues = new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        QueueClient notifications = queues.GetQueueClient("notifications");
        await notifications.CreateIfNotExistsAsync();
        const string good = """{"idempotencyKey":"disbursed-L1","recipient":"+8613800138000","template":"LoanDisbursed","parameters":{"amount":"10,000.00","account":"6789"}}""";
        await notifications.SendMessageAsync("{ this is not json");
        await notifications.SendMessageAsync(good);
        await notifications.SendMessageAsync(good); // redelivered duplicate

        await using StandaloneProcess host = Start();
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));

        QueueClient poison = queues.GetQueueClient("notifications-poison");
        PeekedMessage? poisoned = null;
        for (int i = 0; i < 300 && poisoned is null; i++)
        {
            await Task.Delay(100);
            if (await poison.ExistsAsync())
            {
                poisoned = (await poison.PeekMessagesAsync(10)).Value.SingleOrDefault();
            }
        }

        Assert.NotNull(poisoned);
        Assert.Equal("{ this is not json", poisoned.Body.ToString());
        // Poisoned once, after exactly five tries (a duplicate delivered alongside may also retry, and is then skipped).
        Assert.Single(host.Output.Split('\n'), l => l.Contains("failed 5 times; moving it to notifications-poison", StringComparison.Ordinal));
        Assert.Empty((await notifications.PeekMessagesAsync(10)).Value);

        // Sent once, though queued twice; the local sink shows the rendered text, the log only a masked phone.
        JsonElement[] messages = (await host.Client.GetFromJsonAsync<JsonElement[]>("dev/messages"))!;
        JsonElement sent = Assert.Single(messages);
        Assert.Equal("【极速贷】您的借款10,000.00元已放款至尾号6789的账户。", sent.GetProperty("text").GetString());
        Assert.Equal("**********8000", sent.GetProperty("to").GetString());
        TableEntity record = (await new TableClient(azurite.ConnectionString, "sendrecords").GetEntityAsync<TableEntity>("sms", "disbursed-L1")).Value;
        Assert.Equal(("Sent", 1), (record.GetString("Status"), record.GetInt32("Attempts")));
        Assert.Contains("already Sent", host.Output);
        Assert.DoesNotContain("13800138000", host.Output);
        Assert.Contains("**********8000", host.Output);
    }

    [Fact]
    public async Task A_timer_fires_on_its_CRON_schedule_from_configuration()
    {
        await using StandaloneProcess host = Start(new() { ["PurgeHistorySchedule"] = "*/2 * * * * *" });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));

        for (int i = 0; i < 100 && host.Output.Split('\n').Count(l => l.Contains("Timer PurgeHistory ran", StringComparison.Ordinal)) < 2; i++)
        {
            await Task.Delay(100);
        }

        Assert.True(host.Output.Split('\n').Count(l => l.Contains("Timer PurgeHistory ran", StringComparison.Ordinal)) >= 2, host.Output);
        Assert.Contains("Purged the history of 0 orchestrations", host.Output);
    }

    [Theory]
    [InlineData("diagnostics/signals", """{"timeoutSeconds":0}""", "timeoutSeconds")]
    [InlineData("diagnostics/signals", """{"timeoutSeconds":"soon"}""", "$.timeoutSeconds")]
    [InlineData("diagnostics/signals", """[1,2]""", "$")]
    public async Task Bad_input_gets_a_problem_naming_the_field_and_starts_nothing(string route, string body, string field)
    {
        await using StandaloneProcess host = Start();
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));

        using HttpResponseMessage response = await host.Client.PostAsync(route, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.DoesNotContain("Orchestration", host.Output.Split('\n').Where(l => l.Contains("started.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Unknown_orchestrations_are_404_problems()
    {
        await using StandaloneProcess host = Start();
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));

        using HttpResponseMessage response = await host.Client.GetAsync("diagnostics/orchestrations/no-such-instance");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
