using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using static JisuDai.Standalone.Tests.Borrowing;
using JisuDai.App.Loans;
using JisuDai.App.Notifications.Templates;
using JisuDai.App.Security;
using JisuDai.Lending.Calendar;
using JisuDai.Tests;

namespace JisuDai.Standalone.Tests;

/// <summary>
/// A loan's repayment lifecycle on a host process with a business day lasting three quarters of a second: from disbursement, the
/// reminders before and on the first due date, collection reminders while it stays unpaid, the hand-over to
/// collections, on to the next installment in a fresh generation, and the end when the borrower pays the loan off.
/// </summary>
public sealed class RepaymentLifecycleTests : IAsyncLifetime
{
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    static bool QuietNow() => SendingRules.Decide(MessageCategory.Collection, false, DateTimeOffset.UtcNow, LenderCalendar.Zone) is not SendingDecision.SendNow;

    [Fact]
    public async Task An_unpaid_first_installment_is_reminded_then_chased_then_handed_to_collections_and_a_payoff_ends_the_lifecycle()
    {
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__controlQueueVisibilityTimeout"] = "00:00:05",
            ["AzureFunctionsJobHost__extensions__durableTask__storageProvider__workItemQueueVisibilityTimeout"] = "00:00:30",
            ["Repayment__DayLength"] = "00:00:00.75",
        });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        await DecideAllAsync(host, "approve");
        using HttpClient applicant = host.As("cust-repay", Roles.Applicant);
        string id = await SubmitAsync(applicant, "r1");
        await WaitForStatusAsync(host, applicant, id, "Offered");
        Assert.Equal(HttpStatusCode.Accepted, (await AcceptAsync(applicant, id)).StatusCode);
        await WaitForStatusAsync(host, applicant, id, "Disbursed");
        bool quietAtStart = QuietNow();
        string loanId = $"loan-{id}";
        string instance = $"repayment-{loanId}";

        // Installment 1 is never paid: reminders 3 days before and on the due date, collection reminders on days 1,
        // 3, 7 and 15 (held overnight by the quiet hours), then collections on day 16: about 35 s at three quarters of a second a day.
        var queue = new QueueClient(azurite.ConnectionString, "collections", JisuDai.Adapters.Configuration.StorageAccount.QueueOptions);
        JsonElement referral = default;
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(120) && referral.ValueKind == JsonValueKind.Undefined; await Task.Delay(500))
        {
            if (await queue.ExistsAsync() && (await queue.PeekMessagesAsync(10)).Value is { Length: > 0 } peeked)
            {
                referral = JsonDocument.Parse(peeked.Single().Body.ToString()).RootElement.Clone();
            }
        }

        Assert.True(referral.ValueKind == JsonValueKind.Object, $"No collections referral; host said:\n{host.Output[^Math.Min(host.Output.Length, 4000)..]}");
        Assert.True(referral.GetProperty("installment").GetInt32() == 1, $"{referral} after {string.Join(", ", await SentAsync(host, id))}");
        Assert.Equal(($"{loanId}-1", loanId, 1, 16), (referral.GetProperty("key").GetString(), referral.GetProperty("loanId").GetString(),
            referral.GetProperty("installment").GetInt32(), referral.GetProperty("daysPastDue").GetInt32()));
        Assert.True(referral.GetProperty("amountDue").GetDecimal() > 0);

        // The lifecycle moved on to installment 2 and reminds of it before its due date.
        await WaitForSentAsync(host, $"{id}-RepaymentReminder-2-Upcoming", seconds: 30);
        List<string> sent = await SentAsync(host, id);
        Assert.Contains($"{id}-RepaymentReminder-1-Upcoming", sent);
        Assert.Contains($"{id}-RepaymentReminder-1-DueToday", sent);
        string[] chasers = [$"{id}-PaymentOverdue-1-Overdue1", $"{id}-PaymentOverdue-1-Overdue3", $"{id}-PaymentOverdue-1-Overdue7", $"{id}-PaymentOverdue-1-Overdue15"];
        if (!quietAtStart && !QuietNow())
        {
            Assert.All(chasers, key => Assert.Contains(key, sent));
        }
        else
        {
            Assert.All(chasers, key => Assert.DoesNotContain(key, sent)); // held until 08:00 in Shanghai
        }

        // The borrower pays the loan off: the payment wakes the lifecycle, which ends.
        JsonElement quote = await applicant.GetFromJsonAsync<JsonElement>($"loans/{loanId}/payoff-quote");
        JsonElement payoff = await Borrowing.PayAsync(host, applicant, loanId, "payoff-1", new { purpose = "payoff" });
        Assert.Equal(quote.GetProperty("total").GetDecimal(), payoff.GetProperty("amount").GetDecimal());
        Assert.Equal("PaidOff", (await applicant.GetFromJsonAsync<JsonElement>($"loans/{loanId}")).GetProperty("status").GetString());

        JsonElement orchestration = default;
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(20); await Task.Delay(250))
        {
            orchestration = await host.Client.GetFromJsonAsync<JsonElement>($"diagnostics/orchestrations/{instance}");
            if (orchestration.GetProperty("runtimeStatus").GetString() == "Completed")
            {
                break;
            }
        }

        Assert.Equal("Completed", orchestration.GetProperty("runtimeStatus").GetString());
        var outcome = JsonSerializer.Deserialize<JisuDai.App.Loans.RepaymentOutcome>(orchestration.GetProperty("output").GetString()!, JsonSerializerOptions.Web)!;
        Assert.Equal(("closed", 2), (outcome.Reason, outcome.LastInstallment));
    }

    static async Task<List<string>> SentAsync(StandaloneProcess host, string applicationId) =>
        (await host.Client.GetFromJsonAsync<JsonElement>("dev/messages")).EnumerateArray()
            .Select(m => m.GetProperty("idempotencyKey").GetString()!).Where(k => k.StartsWith(applicationId, StringComparison.Ordinal)).ToList();

    static async Task WaitForSentAsync(StandaloneProcess host, string key, int seconds)
    {
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(seconds); await Task.Delay(250))
        {
            if ((await SentAsync(host, key)).Contains(key))
            {
                return;
            }
        }

        throw new TimeoutException($"{key} was not sent.");
    }
}
