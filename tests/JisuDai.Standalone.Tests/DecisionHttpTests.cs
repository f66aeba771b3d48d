using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static JisuDai.Standalone.Tests.Borrowing;
using JisuDai.App.Security;
using JisuDai.Tests;

namespace JisuDai.Standalone.Tests;

/// <summary>The decision, rules and blacklist endpoints over HTTP, on a host with nothing configured.</summary>
public sealed class DecisionHttpTests : IAsyncLifetime
{
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    const string Body = """
        {"customerId":"c-http","productCode":"express",
         "application":{"amount":20000,"termMonths":12,"age":40,"monthlyIncome":15000,"monthlyDebtPayments":500,"housing":"own","purpose":"used-car","employmentYears":8,"checkingBalance":900,"savingsBalance":3000,"creditHistory":"critical"},
         "applicant":{"idNumber":"110101198001015678","phone":"+8613811112222","name":"Zhao Liu","deviceId":"dev-http","ip":"10.1.1.1"}}
        """;

    static async Task<HttpResponseMessage> PostAsync(StandaloneProcess host, string route, string json, string? key = null)
    {
        for (int attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            if (key is not null)
            {
                request.Headers.Add("Idempotency-Key", key);
            }

            HttpResponseMessage response = await host.Client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 5)
            {
                return response;
            }

            response.Dispose();
        }
    }

    [Fact]
    public async Task Decide_records_once_per_key_and_the_decision_reads_back_with_its_trace()
    {
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));

        using HttpResponseMessage created = await PostAsync(host, "risk/decide", Body, "order-1");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        JsonElement decision = await created.Content.ReadFromJsonAsync<JsonElement>();
        string id = decision.GetProperty("id").GetString()!;
        Assert.Equal($"/api/decisions/{id}", created.Headers.Location!.OriginalString);
        Assert.Contains(decision.GetProperty("result").GetProperty("outcome").GetString(), new[] { "approve", "review", "decline" });

        using HttpResponseMessage again = await PostAsync(host, "risk/decide", Body, "order-1");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        using HttpResponseMessage reused = await PostAsync(host, "risk/decide", Body.Replace("20000", "30000"), "order-1");
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        using HttpResponseMessage noKey = await PostAsync(host, "risk/decide", Body);
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        Assert.True((await noKey.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Idempotency-Key", out _));

        JsonElement read = await host.Client.GetFromJsonAsync<JsonElement>($"decisions/{id}");
        Assert.Equal(decision.GetProperty("ruleSetVersion").GetString(), read.GetProperty("ruleSetVersion").GetString());
        Assert.Equal("**********2222", read.GetProperty("applicant").GetProperty("phone").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("decisions/nope.c-1")).StatusCode);

        // The point-in-time record: the model's inputs as scored, by the model's own names.
        JsonElement inputs = read.GetProperty("inputs");
        Assert.Equal("40", inputs.GetProperty("age").GetString());
        Assert.True(inputs.EnumerateObject().Count() >= 10, inputs.ToString());
    }

    [Fact]
    public async Task Monitoring_runs_on_an_admins_word_staff_read_its_figures_and_bad_dates_and_other_callers_are_refused()
    {
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        using HttpClient reviewer = host.As("rev-1", Roles.Reviewer);

        using (HttpResponseMessage none = await reviewer.GetAsync("monitoring/portfolio"))
        {
            Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
            Assert.Contains("has not run", (await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.PostAsync("monitoring/runs", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.As("cust-1", Roles.Applicant).GetAsync("monitoring/daily")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.GetAsync("monitoring/daily")).StatusCode);

        using HttpResponseMessage ran = await host.Client.PostAsync("monitoring/runs", null);
        Assert.Equal(HttpStatusCode.OK, ran.StatusCode);
        JsonElement run = await ran.Content.ReadFromJsonAsync<JsonElement>();
        string yesterday = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).DateTime).AddDays(-1).ToString("yyyy-MM-dd");
        Assert.Equal(yesterday, run.GetProperty("through").GetString());
        Assert.Equal(90, run.GetProperty("days").GetInt32());

        JsonElement portfolio = await reviewer.GetFromJsonAsync<JsonElement>("monitoring/portfolio");
        Assert.Equal(yesterday, portfolio.GetProperty("asOf").GetString());
        Assert.Equal(5, portfolio.GetProperty("labels").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, portfolio.GetProperty("labels")[0].GetProperty("badRate").ValueKind);
        Assert.Equal(JsonValueKind.Array, (await reviewer.GetFromJsonAsync<JsonElement>($"monitoring/daily?to={yesterday}")).ValueKind);

        foreach ((string query, string field) in new[] { ("from=2026-13-01", "from"), ("to=yesterday", "to"), ("from=2020-01-01&to=2026-01-01", "from") })
        {
            using HttpResponseMessage bad = await reviewer.GetAsync($"monitoring/daily?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            JsonElement problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
            Assert.True(problem.TryGetProperty("traceId", out _));
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await reviewer.GetAsync("monitoring/portfolio?asOf=soon")).StatusCode);
    }

    [Fact]
    public async Task Rules_are_validated_published_and_rolled_back_and_blacklist_entries_apply_to_the_next_decision()
    {
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        using (HttpResponseMessage first = await PostAsync(host, "risk/decide", Body, "warm-up"))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        JsonElement rules = await host.Client.GetFromJsonAsync<JsonElement>("rules");
        string bundled = rules.GetProperty("inForce").GetProperty("version").GetString()!;

        string json = File.ReadAllText(Repository.Path("risk", "Defaults", "default-rules.json"));
        JsonNode bad = JsonNode.Parse(json)!;
        bad["tables"]![1]!["rules"]![0]!["when"] = "checks.blacklisted and application.salary > 1";
        using HttpResponseMessage invalid = await PostAsync(host, "rules", bad.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True((await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("$.tables[1].rules[0].when", out _));

        JsonNode changed = JsonNode.Parse(json)!;
        changed["description"] = "over HTTP";
        // Four eyes: a publication proposed by one admin is not in force until a second approves it.
        using HttpResponseMessage proposed = await PostAsync(host, "rules", changed.ToJsonString());
        Assert.Equal(bundled, (await host.Client.GetFromJsonAsync<JsonElement>("rules")).GetProperty("inForce").GetProperty("version").GetString());
        JsonElement request = await RequestOf(proposed);
        using (HttpResponseMessage byProposer = await host.Client.PostAsJsonAsync($"staff-requests/{request.GetProperty("id").GetString()}/approval", new { digest = request.GetProperty("digest").GetString() }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, byProposer.StatusCode);
        }

        string version = (await ApproveAsync(host, request)).GetProperty("version").GetString()!;
        Assert.Equal(version, (await host.Client.GetFromJsonAsync<JsonElement>("rules")).GetProperty("inForce").GetProperty("version").GetString());
        JsonElement rolledBack = await ApproveAsync(host, await PostAsync(host, "rules/rollback", ""));
        Assert.Equal(bundled, rolledBack.GetProperty("inForce").GetProperty("version").GetString());

        using HttpResponseMessage listed = await PostAsync(host, "blacklist", """{"kind":"phone","value":"+8613811112222","source":"fraud team","reason":"confirmed fraud"}""");
        Assert.Equal(HttpStatusCode.Created, listed.StatusCode);
        JsonElement entries = await host.Client.GetFromJsonAsync<JsonElement>("blacklist");
        Assert.Contains(entries.EnumerateArray(), e => e.GetProperty("value").GetString() == "**********2222");
        using HttpResponseMessage badEntry = await PostAsync(host, "blacklist", """{"kind":"email","value":""}""");
        Assert.Equal(["kind", "reason", "source", "value"], (await badEntry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        // An entry in a form no applicant's identifier takes would never match: refused naming the value.
        foreach (string malformed in new[] { """{"kind":"phone","value":"13811112222","source":"fraud team","reason":"x"}""", """{"kind":"idNumber","value":"110101199003070012","source":"fraud team","reason":"x"}""" })
        {
            using HttpResponseMessage refused = await PostAsync(host, "blacklist", malformed);
            Assert.Equal(["value"], (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        }

        using HttpResponseMessage declined = await PostAsync(host, "risk/decide", Body, "after-listing");
        JsonElement result = (await declined.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result");
        Assert.Equal("decline", result.GetProperty("outcome").GetString());
        Assert.Contains("BLACKLISTED", result.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));

        // Removing an entry is four eyes too; the request shows the value masked, never in clear.
        using HttpResponseMessage removal = await PostAsync(host, "blacklist/remove", """{"kind":"phone","value":"+8613811112222"}""");
        JsonElement removalRequest = await RequestOf(removal);
        Assert.Equal("phone:**********2222", removalRequest.GetProperty("target").GetString());
        Assert.DoesNotContain("13811112222", removalRequest.ToString());
        await ApproveAsync(host, removalRequest);
        Assert.DoesNotContain((await host.Client.GetFromJsonAsync<JsonElement>("blacklist")).EnumerateArray(), e => e.GetProperty("value").GetString() == "**********2222");

        // Every staff action is on the record, in one intact chain, with identifiers masked.
        JsonElement audit = await host.Client.GetFromJsonAsync<JsonElement>("audit");
        Assert.True(audit.GetProperty("verification").GetProperty("intact").GetBoolean());
        string[] actions = audit.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetProperty("action").GetString()!).ToArray();
        Assert.Equal(["propose RuleSetPublication", "approve RuleSetPublication", "propose RuleSetRollback", "approve RuleSetRollback", "blacklist-add", "propose BlacklistRemoval", "approve BlacklistRemoval"],
            actions.Where(a => !a.StartsWith("review", StringComparison.Ordinal)));
        Assert.DoesNotContain("+8613811112222", audit.ToString());
        // Each from the address the call came over (the test's loopback), as the connection gave it.
        Assert.All(audit.GetProperty("entries").EnumerateArray(), e => Assert.Equal("127.0.0.1", e.GetProperty("action").GetProperty("clientAddress").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await host.As("rev-1", Roles.Reviewer).GetAsync("audit")).StatusCode);
    }

    [Fact]
    public async Task A_rule_set_is_backtested_over_the_recorded_applications_with_their_scores_and_changes_nothing()
    {
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        using HttpClient borrower = await SignUpAsync(host, "+8613800138000");
        string applicationId = await SubmitAsync(borrower, "backtest-1");
        string recorded = (await DecisionOfAsync(host, borrower, applicationId)).GetProperty("result").GetProperty("outcome").GetString()!;
        // A staff what-if decision is not an application: a backtest leaves it out, as monitoring does.
        using (HttpResponseMessage whatIf = await PostAsync(host, "risk/decide", Body, "what-if"))
        {
            Assert.Equal(HttpStatusCode.Created, whatIf.StatusCode);
        }

        string inForce = (await host.Client.GetFromJsonAsync<JsonElement>("rules")).GetProperty("inForce").GetProperty("version").GetString()!;
        string document = await host.Client.GetStringAsync($"rules/versions/{inForce}");
        JsonElement same = await BacktestAsync(host.Client, "", document);
        Assert.Equal((1, inForce, 0), (same.GetProperty("report").GetProperty("applications").GetInt32(), same.GetProperty("candidateVersion").GetString(), same.GetProperty("report").GetProperty("moves").GetArrayLength()));
        Assert.Equal([inForce], same.GetProperty("report").GetProperty("baseline").GetProperty("ruleSetVersions").EnumerateArray().Select(v => v.GetString()));
        Assert.All(same.GetProperty("report").GetProperty("rules").EnumerateArray(), r => Assert.Equal(r.GetProperty("baseline").GetInt32(), r.GetProperty("candidate").GetInt32()));

        // A candidate that declines every income over 10,000 a month declines this applicant, and says which rule did.
        JsonNode stricter = JsonNode.Parse(document)!;
        stricter["tables"]![0]!["rules"]!.AsArray().Add(JsonNode.Parse("""{"id":"POL-INCOME-CAP","when":"application.monthlyIncome > 10000","action":"decline","reason":"INCOME_ABOVE_CAP"}"""));
        JsonElement backtest = await BacktestAsync(host.Client, "", stricter.ToJsonString());
        JsonElement report = backtest.GetProperty("report");
        Assert.NotEqual(inForce, backtest.GetProperty("candidateVersion").GetString());
        Assert.Equal((1, 0, 0), (report.GetProperty("candidate").GetProperty("declined").GetInt32(), report.GetProperty("candidate").GetProperty("approved").GetInt32(), backtest.GetProperty("skipped").GetInt32()));
        JsonElement cap = report.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("ruleId").GetString() == "POL-INCOME-CAP");
        Assert.Equal((0, 1), (cap.GetProperty("baseline").GetInt32(), cap.GetProperty("candidate").GetInt32()));
        Assert.Equal(recorded == "decline" ? 0 : 1, report.GetProperty("changed").GetInt32());
        Assert.Equal(recorded, (await DecisionOfAsync(host, borrower, applicationId)).GetProperty("result").GetProperty("outcome").GetString());
        Assert.Equal(inForce, (await host.Client.GetFromJsonAsync<JsonElement>("rules")).GetProperty("inForce").GetProperty("version").GetString());

        // Days before the application: nothing to re-run.
        string today = backtest.GetProperty("to").GetString()!;
        string earlier = DateOnly.Parse(today).AddDays(-10).ToString("yyyy-MM-dd");
        Assert.Equal(0, (await BacktestAsync(host.Client, $"?from={earlier}&to={DateOnly.Parse(today).AddDays(-1):yyyy-MM-dd}", document)).GetProperty("report").GetProperty("applications").GetInt32());

        foreach ((string query, string body, string field) in new[]
        {
            ("?from=2026-13-01", document, "from"), ("?window=ever99", document, "window"), ($"?from={today}&to={earlier}", document, "from"),
            ("?from=2020-01-01&to=2026-01-01", document, "from"), ("", Unknown(document), "$.tables[0].rules[0].when"),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "rules/backtest" + query) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            using HttpResponseMessage refused = await host.Client.SendAsync(request);
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{query} {field}: {refused.StatusCode}");
            JsonElement problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await host.As("rev-1", Roles.Reviewer).PostAsync("rules/backtest", new StringContent(document, Encoding.UTF8, "application/json"))).StatusCode);
    }

    /// <summary>The document with its first rule reading a fact no model has.</summary>
    static string Unknown(string document)
    {
        JsonNode node = JsonNode.Parse(document)!;
        node["tables"]![0]!["rules"]![0]!["when"] = "application.salary < 18";
        return node.ToJsonString();
    }

    static async Task<JsonElement> BacktestAsync(HttpClient admin, string query, string document)
    {
        using HttpResponseMessage response = await admin.PostAsync("rules/backtest" + query, new StringContent(document, Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
