using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JisuDai.App.Security;
using JisuDai.Tests;

namespace JisuDai.Standalone.Tests;

/// <summary>A borrower's steps over HTTP, shared by the lifecycle tests: pick the decision, apply, wait for a status.</summary>
internal static class Borrowing
{
    internal const string ValidIdNumber = "110101199003070011";

    /// <summary>The code the local SMS sink last took for <paramref name="phone"/>.</summary>
    internal static async Task<string> CodeSentToAsync(StandaloneProcess host, string phone)
    {
        JsonElement message = (await host.Client.GetFromJsonAsync<JsonElement>("dev/messages")).EnumerateArray()
            .First(m => m.GetProperty("idempotencyKey").GetString()!.StartsWith("sign-in-", StringComparison.Ordinal) && m.GetProperty("to").GetString()!.EndsWith(phone[^4..], StringComparison.Ordinal));
        return System.Text.RegularExpressions.Regex.Match(message.GetProperty("text").GetString()!, "[0-9]{6}").Value;
    }

    /// <summary>Signs up (or in) as a borrower's app does, on <paramref name="device"/>: a code to the number, the code from the local SMS sink, tokens.</summary>
    internal static async Task<HttpClient> SignUpAsync(StandaloneProcess host, string phone, string? device = null)
    {
        using (HttpResponseMessage sent = await host.Anonymous.PostAsJsonAsync("auth/codes", new { phone }))
        {
            Assert.True(sent.StatusCode == HttpStatusCode.Accepted, await sent.Content.ReadAsStringAsync());
        }

        using HttpResponseMessage signedIn = await host.Anonymous.PostAsJsonAsync("auth/tokens", new { phone, code = await CodeSentToAsync(host, phone), device });
        Assert.True(signedIn.StatusCode == HttpStatusCode.OK, await signedIn.Content.ReadAsStringAsync());
        var client = new HttpClient { BaseAddress = host.Anonymous.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await signedIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        return client;
    }

    /// <summary>The credit decision of <paramref name="applicationId"/> as staff read it, once it is decided.</summary>
    internal static async Task<JsonElement> DecisionOfAsync(StandaloneProcess host, HttpClient applicant, string applicationId)
    {
        DateTime until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            JsonElement view = await applicant.GetFromJsonAsync<JsonElement>($"applications/{applicationId}");
            if (view.TryGetProperty("decisionId", out JsonElement id) && id.ValueKind == JsonValueKind.String)
            {
                return await host.Client.GetFromJsonAsync<JsonElement>($"decisions/{id.GetString()}");
            }

            Assert.True(DateTime.UtcNow < until, $"No decision for {applicationId}: {view}");
            await Task.Delay(200);
        }
    }

    /// <summary>A bank card for <paramref name="phone"/>'s holder: one card per phone, as the real-name check holds a card to one person and phone.</summary>
    internal static string CardOf(string phone) => $"6222020{phone[^8..]}" + JisuDai.Lending.Customers.BankCard.CheckDigit($"6222020{phone[^8..]}");

    internal static object Application(decimal amount = 20000, string phone = "+8613800138000") => new
    {
        name = "Zhang San", idNumber = ValidIdNumber, phone, bankAccount = CardOf(phone), monthlyIncome = 15000, employmentYears = 6,
        housing = "own", monthlyDebtPayments = 500, existingLoans = 1, productCode = "express", amount, termMonths = 12, purpose = "used-car", deviceId = "dev-1",
    };

    /// <summary>
    /// Accepts the offer as a borrower's app does: reads the documents it must show (the key facts, the contract and,
    /// with <paramref name="debitAgreement"/>, the debit agreement) and accepts with their digests and the device.
    /// </summary>
    internal static async Task<HttpResponseMessage> AcceptAsync(HttpClient applicant, string id, bool debitAgreement = false)
    {
        using HttpResponseMessage shown = await applicant.GetAsync($"applications/{id}/documents{(debitAgreement ? "?debitAgreement=true" : "")}");
        string[] digests = shown.IsSuccessStatusCode
            ? (await shown.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(d => d.GetProperty("digest").GetString()!).ToArray()
            : ["sha256:none"]; // nothing to show (the offer lapsed): the acceptance is refused as it would be
        return await applicant.PostAsJsonAsync($"applications/{id}/accept", new { debitAgreement, consent = new { digests, device = "dev-1" } });
    }

    /// <summary>Publishes the default rules with one tier whose action is <paramref name="action"/> and no adjustments, so the test picks the branch.</summary>
    internal static async Task DecideAllAsync(StandaloneProcess host, string action)
    {
        JsonNode rules = JsonNode.Parse(await File.ReadAllTextAsync(Repository.Path("risk", "Defaults", "default-rules.json")))!;
        rules["tiers"] = JsonNode.Parse($$"""[{ "tier": "all", "action": "{{action}}", "incomeMultiple": 6, "annualRate": 0.15 }]""");
        rules["tables"]!.AsArray().Single(t => (string?)t!["name"] == "adjustments")!["rules"] = new JsonArray(); // no limit or price adjustments: the offer is the tier's
        using HttpResponseMessage proposed = await host.Client.PostAsync("rules", new StringContent(rules.ToJsonString(), Encoding.UTF8, "application/json"));
        await ApproveAsync(host, proposed);
    }

    /// <summary>
    /// Four eyes in tests: <paramref name="proposed"/> is the 202 of one admin's proposal (the host's own client is
    /// admin-1); a second admin approves it, quoting its digest. Returns what the approval carried out.
    /// </summary>
    internal static async Task<JsonElement> ApproveAsync(StandaloneProcess host, HttpResponseMessage proposed) =>
        await ApproveAsync(host, await RequestOf(proposed));

    /// <summary>The staff request a 202 proposal answered with.</summary>
    internal static async Task<JsonElement> RequestOf(HttpResponseMessage proposed)
    {
        string body = await proposed.Content.ReadAsStringAsync();
        Assert.True(proposed.StatusCode == HttpStatusCode.Accepted, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("request");
    }

    /// <summary>A second admin approves <paramref name="request"/>, quoting its digest; returns what the approval carried out.</summary>
    internal static async Task<JsonElement> ApproveAsync(StandaloneProcess host, JsonElement request)
    {
        using HttpClient second = host.As("admin-2", Roles.Admin);
        using HttpResponseMessage approved = await second.PostAsJsonAsync($"staff-requests/{request.GetProperty("id").GetString()}/approval",
            new { digest = request.GetProperty("digest").GetString() });
        Assert.True(approved.StatusCode == HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        return (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result");
    }

    /// <summary>
    /// The borrower pays as a borrower does: a payment made on the loan (under <paramref name="key"/>), paid in their
    /// app (at the simulator), and confirmed by the provider. Returns the payment once it is recorded.
    /// </summary>
    internal static async Task<JsonElement> PayAsync(StandaloneProcess host, HttpClient applicant, string loanId, string key, object body)
    {
        using HttpResponseMessage made = await MakePaymentAsync(applicant, loanId, key, body);
        Assert.True(made.StatusCode == HttpStatusCode.Created, await made.Content.ReadAsStringAsync());
        string id = (await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await host.PayAsync(id);
        return await WaitForPaymentAsync(applicant, id, "Succeeded");
    }

    /// <summary>POST /api/loans/{loanId}/payments under <paramref name="key"/>: the answer as it came.</summary>
    internal static async Task<HttpResponseMessage> MakePaymentAsync(HttpClient client, string loanId, string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"loans/{loanId}/payments") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    internal static async Task<JsonElement> WaitForPaymentAsync(HttpClient client, string id, string status, int seconds = 30)
    {
        JsonElement payment = default;
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(seconds); await Task.Delay(100))
        {
            payment = await client.GetFromJsonAsync<JsonElement>($"payments/{id}");
            if (payment.GetProperty("status").GetString() == status)
            {
                return payment;
            }
        }

        throw new TimeoutException($"Payment {id} did not become {status}: {payment}");
    }

    /// <summary>The transfers the provider made for application <paramref name="applicationId"/> (its payout's transfer id is derived from it).</summary>
    internal static async Task<List<JsonElement>> TransfersAsync(StandaloneProcess host, string applicationId) =>
        (await host.Provider.GetFromJsonAsync<JsonElement>("simulator/transfers")).EnumerateArray()
            .Where(t => t.GetProperty("out_bill_no").GetString() == "po" + applicationId[..applicationId.IndexOf('.')]).ToList();

    /// <summary>
    /// Applies as a borrower's app does: verifies the applicant's identity (name, ID number, phone and card, the
    /// four-element check every customer passes before applying; again is a no-op) and submits.
    /// </summary>
    internal static async Task<string> SubmitAsync(HttpClient applicant, string key, object? body = null)
    {
        JsonNode application = JsonNode.Parse(JsonSerializer.Serialize(body ?? Application()))!;
        using (HttpResponseMessage verified = await applicant.PostAsJsonAsync("customers/me/verification", new
        {
            name = (string?)application["name"], idNumber = (string?)application["idNumber"], phone = (string?)application["phone"], bankAccount = (string?)application["bankAccount"],
        }))
        {
            Assert.True(verified.StatusCode == HttpStatusCode.OK, await verified.Content.ReadAsStringAsync());
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "applications") { Content = JsonContent.Create(body ?? Application()) };
        request.Headers.Add("Idempotency-Key", key);
        using HttpResponseMessage response = await applicant.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    internal static async Task<JsonElement> WaitForStatusAsync(HttpClient client, string id, string status, int seconds = 60)
    {
        JsonElement application = default;
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(seconds); await Task.Delay(250))
        {
            application = await client.GetFromJsonAsync<JsonElement>($"applications/{id}");
            if (application.GetProperty("status").GetString() == status)
            {
                return application;
            }
        }

        throw new TimeoutException($"Application {id} did not become {status}: {application}");
    }

    /// <summary>As above, and when it times out the host's warnings and errors go with the failure, so a CI run shows why.</summary>
    internal static async Task<JsonElement> WaitForStatusAsync(StandaloneProcess host, HttpClient client, string id, string status, int seconds = 60)
    {
        try
        {
            return await WaitForStatusAsync(client, id, status, seconds);
        }
        catch (TimeoutException e)
        {
            string[] lines = host.Output.Split('\n');
            string problems = string.Join('\n', lines.Select((l, i) => (l, i))
                .Where(x => x.l.StartsWith("warn", StringComparison.Ordinal) || x.l.StartsWith("fail", StringComparison.Ordinal) || x.l.StartsWith("crit", StringComparison.Ordinal))
                .SelectMany(x => lines.Skip(x.i).Take(3)).TakeLast(60));
            throw new TimeoutException($"{e.Message}\nHost warnings and errors:\n{problems}", e);
        }
    }
}
