using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using JisuDai.Adapters.Risk;
using JisuDai.App.Security;
using JisuDai.Risk.Monitoring;
using JisuDai.Tests;
using Microsoft.Playwright;
using static JisuDai.Standalone.Tests.Borrowing;
using static JisuDai.Standalone.Tests.Console.ConsoleBrowser;
using static Microsoft.Playwright.Assertions;

namespace JisuDai.Standalone.Tests.Console;

/// <summary>One host with every application referred to review, and one browser, for the console's tests.</summary>
public sealed class ConsoleHost : IAsyncLifetime
{
    public AzuriteServer Azurite { get; private set; } = null!;
    internal StandaloneProcess Host { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The console's address on the host.</summary>
    public string ConsoleUrl => new Uri(Host.Client.BaseAddress!, "console/").ToString();

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.StartAsync();
        Host = StandaloneProcess.Start(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["Approval__ReviewEscalateAfter"] = "00:10:00",
            ["Approval__ReviewDeclineAfter"] = "00:20:00",
        });
        await Host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
        await DecideAllAsync(Host, "review");
        (Playwright, Browser) = await LaunchAsync();
        SetDefaultExpectTimeout(20_000);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        Playwright?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
        if (Azurite is not null) await Azurite.DisposeAsync();
    }

    /// <summary>A fresh browser (its own session storage) on the console's sign-in page, signed in as <paramref name="subject"/> with <paramref name="role"/>.</summary>
    public async Task<IPage> SignInAsync(string subject, string role)
    {
        IPage page = await (await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } })).NewPageAsync();
        await page.GotoAsync(ConsoleUrl);
        await Expect(page).ToHaveURLAsync(new Regex("#/sign-in"));
        await Field(page, "subject").FillAsync(subject);
        await Marked(page, $"role-{role}").ClickAsync();
        await Marked(page, "dev-sign-in").ClickAsync();
        await Expect(Marked(page, "signed-in")).ToContainTextAsync(subject);
        return page;
    }
}

/// <summary>
/// The staff console in real Chromium against a host: a reviewer works a referral through to the loan, an admin's
/// rule change needs a second admin, the dashboard draws its charts from the monitoring endpoints, a borrower's token
/// opens nothing; and the console's files as the app serves them.
/// </summary>
public sealed class ConsoleTests(ConsoleHost fixture) : IClassFixture<ConsoleHost>
{
    StandaloneProcess Host => fixture.Host;

    [Fact]
    public async Task A_reviewer_signs_in_claims_a_referral_sees_its_trace_approves_it_and_sees_the_loan_it_became()
    {
        using HttpClient applicant = Host.As("cust-console-1", Roles.Applicant);
        string id = await SubmitAsync(applicant, "console-1", Application(phone: "+8613900000301"));
        await WaitForStatusAsync(applicant, id, "InReview");
        JsonElement decision = await DecisionOfAsync(Host, applicant, id);

        IPage page = await fixture.SignInAsync("rev-console", "reviewer");
        await Expect(page).ToHaveURLAsync(new Regex("#/reviews"));
        ILocator row = Marked(page, "review-queue").Locator("tr", new LocatorLocatorOptions { HasText = id });
        await Expect(row).ToBeVisibleAsync();
        await ShootAsync(page, "review-queue");
        await row.Locator("[data-test=open-review]").ClickAsync();

        // Claimed: for 30 minutes no other reviewer takes it or decides it.
        await Expect(row.Locator("[data-test=held-by]")).ToHaveTextAsync("rev-console");
        using (HttpClient other = Host.As("rev-other", Roles.Reviewer))
        {
            using HttpResponseMessage claimed = await other.PostAsync($"reviews/{id}/claim", null);
            Assert.Equal(HttpStatusCode.Conflict, claimed.StatusCode);
            Assert.Contains("rev-console", await claimed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using HttpResponseMessage decided = await other.PostAsJsonAsync($"reviews/{id}/decision", new { approve = false, reason = "POLICY_DECLINE" });
            Assert.Equal(HttpStatusCode.Conflict, decided.StatusCode);
        }

        // The trace as the decision recorded it: score, outcome, and each reason in the console's language (Chinese).
        ILocator trace = Marked(page, "decision-trace");
        await Expect(trace.Locator("[data-test=trace-score]")).ToHaveTextAsync(decision.GetProperty("score").GetProperty("score").GetInt32().ToString());
        await Expect(trace.Locator("[data-test=trace-outcome]")).ToHaveTextAsync("review");
        JsonElement firstReason = decision.GetProperty("score").GetProperty("reasons")[0];
        await Expect(trace.Locator("[data-test=trace-reasons]")).ToContainTextAsync(firstReason.GetProperty("text").GetProperty("zh-CN").GetString()!);
        // The form starts at the priced offer, the most a reviewer alone may approve.
        await Expect(Field(page, "amount")).ToHaveValueAsync(new Regex($"^{decision.GetProperty("result").GetProperty("offerAmount").GetDecimal():0}$"));
        await ShootAsync(page, "review-trace");

        await Marked(page, "approve").ClickAsync();
        await Expect(Marked(page, "review-receipt")).ToContainTextAsync("approve");
        JsonElement offered = await WaitForStatusAsync(applicant, id, "Offered");
        Assert.Equal(decision.GetProperty("result").GetProperty("offerAmount").GetDecimal(), offered.GetProperty("offer").GetProperty("amount").GetDecimal());
        await Expect(Marked(page, "review-queue").Locator("tr", new LocatorLocatorOptions { HasText = id })).ToHaveCountAsync(0);

        // The borrower accepts in their app; the reviewer follows the application to its loan.
        using (HttpResponseMessage accepted = await AcceptAsync(applicant, id))
        {
            Assert.True(accepted.IsSuccessStatusCode, await accepted.Content.ReadAsStringAsync());
        }

        await WaitForStatusAsync(applicant, id, "Disbursed");
        await Marked(page, "to-application").ClickAsync();
        await Expect(Marked(page, "application-status")).ToHaveTextAsync("Disbursed");
        await Expect(Marked(page, "application-history")).ToContainTextAsync("Offered");
        await ShootAsync(page, "application");
        await Marked(page, "to-loan").ClickAsync();
        await Expect(Marked(page, "loan-status")).ToHaveTextAsync("Active");
        await Expect(Marked(page, "loan-schedule").Locator("tbody tr")).ToHaveCountAsync(12);
        await Expect(Marked(page, "loan-dpd")).ToHaveTextAsync("0");
        await ShootAsync(page, "loan");

        // Money received outside the provider: the reviewer proposes recording it, a second person approves, the ledger has it.
        await page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "人工操作" }).ClickAsync();
        string reference = await Field(page, "offline-reference").InputValueAsync();
        await Field(page, "offline-amount").FillAsync("500");
        await Marked(page, "propose-offline").ClickAsync();
        await Expect(Marked(page, "loan-message")).ToContainTextAsync(new Regex("[0-9a-f]{32}"));
        await ShootAsync(page, "loan-actions");
        JsonElement offline = (await Host.Client.GetFromJsonAsync<JsonElement>("staff-requests")).EnumerateArray()
            .Single(r => r.GetProperty("power").GetString() == "OfflinePayment" && r.GetProperty("proposedBy").GetString() == "rev-console");
        JsonElement recorded = await ApproveAsync(Host, offline);
        string loanId = recorded.GetProperty("loan").GetProperty("id").GetString()!;
        Assert.Contains((await Host.Client.GetFromJsonAsync<JsonElement>($"loans/{loanId}/ledger")).EnumerateArray(), e => e.GetProperty("id").GetString() == $"repayment:{reference}");
        await page.ReloadAsync();
        await page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "分录" }).ClickAsync();
        await Expect(Marked(page, "loan-ledger").Locator("tr", new LocatorLocatorOptions { HasText = reference })).ToContainTextAsync("repayment");

        // Found again by the customer: their applications and loans, each a link.
        await Marked(page, "nav-applications").ClickAsync();
        await Field(page, "customer-search").FillAsync("cust-console-1");
        await Marked(page, "find-customer").ClickAsync();
        await Expect(Marked(page, "customer-applications").Locator("tbody tr", new LocatorLocatorOptions { HasText = id })).ToContainTextAsync("Disbursed");
        await Expect(Marked(page, "customer-loans").Locator("tbody tr", new LocatorLocatorOptions { HasText = loanId })).ToContainTextAsync("Active");

        // English on the switch, the reasons too.
        await Marked(page, "language").ClickAsync();
        await Expect(Marked(page, "nav-reviews")).ToHaveTextAsync("Review queue");
        await Expect(Marked(page, "decision-trace")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_admins_rule_change_proposed_in_the_console_is_refused_to_its_proposer_and_published_by_a_second_admin()
    {
        JsonNode document = JsonNode.Parse(await File.ReadAllTextAsync(Repository.Path("risk", "Defaults", "default-rules.json")))!;
        document["tiers"] = JsonNode.Parse("""[{ "tier": "all", "action": "review", "incomeMultiple": 6, "annualRate": 0.15 }]""");
        document["description"] = "Everything to review, proposed in the console";
        string before = (await Host.Client.GetFromJsonAsync<JsonElement>("rules")).GetProperty("inForce").GetProperty("version").GetString()!;

        IPage proposer = await fixture.SignInAsync("admin-console-1", "admin");
        await Marked(proposer, "nav-rules").ClickAsync();
        await Expect(Marked(proposer, "rules-in-force")).ToHaveTextAsync(before);
        await Field(proposer, "rule-document").FillAsync("{ \"name\": \"default\", \"tiers\": 5 }");
        await Marked(proposer, "validate-rules").ClickAsync();
        await Expect(Marked(proposer, "problem")).ToContainTextAsync("400"); // errors keyed by the JSON path at fault
        await Marked(proposer, "load-in-force").ClickAsync();
        await Expect(Field(proposer, "rule-document")).ToHaveValueAsync(new Regex("\"name\": \"default\""));
        await Field(proposer, "rule-document").FillAsync(document.ToJsonString());
        await Marked(proposer, "validate-rules").ClickAsync();
        await Expect(Marked(proposer, "rules-message")).ToBeVisibleAsync();

        // Before anyone proposes it: the candidate over the applications already decided, as decided and as it would decide.
        long applications;
        using (HttpResponseMessage backtest = await Host.Client.PostAsync("rules/backtest", new StringContent(document.ToJsonString(), Encoding.UTF8, "application/json")))
        {
            applications = (await backtest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("report").GetProperty("applications").GetInt64();
        }

        await Marked(proposer, "backtest-rules").ClickAsync();
        await Expect(Marked(proposer, "backtest-arms").Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(Marked(proposer, "backtest-summary")).ToContainTextAsync($"{applications} 笔申请");
        await ShootAsync(proposer, "rules-backtest");
        await Marked(proposer, "propose-challenger").ClickAsync();
        await Expect(Marked(proposer, "rules-message")).ToContainTextAsync(new Regex("[0-9a-f]{32}"));
        Assert.Contains((await Host.Client.GetFromJsonAsync<JsonElement>("staff-requests")).EnumerateArray(),
            r => r.GetProperty("power").GetString() == "RuleSetChallenger" && r.GetProperty("proposedBy").GetString() == "admin-console-1");
        await Marked(proposer, "propose-rules").ClickAsync();
        await Expect(Marked(proposer, "rules-message")).ToContainTextAsync(new Regex("[0-9a-f]{32}"));
        await ShootAsync(proposer, "rules");

        // Nobody approves their own proposal: the inbox shows the API's refusal, and nothing is published.
        await Marked(proposer, "nav-requests").ClickAsync();
        ILocator request = Marked(proposer, "request-RuleSetPublication").Filter(new LocatorFilterOptions { HasText = "admin-console-1" });
        await request.Locator("[data-test=approve-request]").ClickAsync();
        await Expect(Marked(proposer, "problem")).ToContainTextAsync("403");
        Assert.Equal(before, (await Host.Client.GetFromJsonAsync<JsonElement>("rules")).GetProperty("inForce").GetProperty("version").GetString());

        IPage checker = await fixture.SignInAsync("admin-console-2", "admin");
        await Marked(checker, "nav-requests").ClickAsync();
        ILocator toApprove = Marked(checker, "request-RuleSetPublication").Filter(new LocatorFilterOptions { HasText = "admin-console-1" });
        await Expect(toApprove).ToHaveCountAsync(1);
        // The approver reads what changes against the rule set in force, line by line: the description among the rest.
        await Expect(toApprove.Locator("[data-test=diff-added]", new LocatorLocatorOptions { HasText = "\"description\": \"Everything to review, proposed in the console\"" })).ToHaveCountAsync(1);
        await Expect(toApprove.Locator("[data-test=diff-removed]", new LocatorLocatorOptions { HasText = "out-of-the-box policy" })).ToHaveCountAsync(1);
        await ShootAsync(checker, "four-eyes-inbox");
        await toApprove.Locator("[data-test=approve-request]").ClickAsync();
        await Expect(Marked(checker, "request-done")).ToBeVisibleAsync();

        JsonElement rules = await Host.Client.GetFromJsonAsync<JsonElement>("rules");
        Assert.NotEqual(before, rules.GetProperty("inForce").GetProperty("version").GetString());
        Assert.Equal("Everything to review, proposed in the console", rules.GetProperty("inForce").GetProperty("description").GetString());
        await Marked(checker, "nav-rules").ClickAsync();
        await Expect(Marked(checker, "rules-in-force")).ToHaveTextAsync(rules.GetProperty("inForce").GetProperty("version").GetString()!);
        await Marked(checker, "rule-publications").Locator("tr", new LocatorLocatorOptions { HasText = before }).Locator("[data-test=compare-version]").ClickAsync();
        await Expect(Marked(checker, "diff").Locator("[data-test=diff-added]", new LocatorLocatorOptions { HasText = "out-of-the-box policy" })).ToHaveCountAsync(1);
        await Expect(Marked(checker, "diff").Locator("[data-test=diff-removed]", new LocatorLocatorOptions { HasText = "proposed in the console" })).ToHaveCountAsync(1);
        await Marked(checker, "nav-audit").ClickAsync();
        await Expect(Marked(checker, "audit-entries")).ToContainTextAsync("approve RuleSetPublication");
        await Expect(Marked(checker, "audit-verification")).ToContainTextAsync("intact");
    }

    [Fact]
    public async Task An_admin_blacklists_a_phone_and_a_second_admin_approves_its_removal_and_the_models_page_names_the_champion()
    {
        IPage admin = await fixture.SignInAsync("admin-console-3", "admin");
        await Marked(admin, "nav-blacklist").ClickAsync();
        // A phone without +86 would never match an applicant's: refused naming the value, nothing added.
        await admin.Locator(".el-form .el-select").First.ClickAsync();
        await admin.Locator(".el-select-dropdown__item", new PageLocatorOptions { HasText = "phone" }).ClickAsync();
        await Field(admin, "blacklist-reason").FillAsync("console test");
        await Field(admin, "blacklist-value").FillAsync("13900000777");
        await Marked(admin, "blacklist-add").ClickAsync();
        await Expect(Marked(admin, "problem")).ToContainTextAsync("+861XXXXXXXXXX");
        await Expect(Marked(admin, "blacklist-entries")).Not.ToContainTextAsync("0777");
        await Field(admin, "blacklist-value").FillAsync("+8613900000777");
        await Marked(admin, "blacklist-add").ClickAsync();
        await Expect(Marked(admin, "blacklist-entries")).ToContainTextAsync("0777"); // masked: the last four digits
        await Expect(Marked(admin, "blacklist-entries")).Not.ToContainTextAsync("+8613900000777");
        await ShootAsync(admin, "blacklist");
        await Marked(admin, "blacklist-remove").ClickAsync();
        await Expect(Marked(admin, "blacklist-message")).ToContainTextAsync(new Regex("[0-9a-f]{32}"));

        IPage checker = await fixture.SignInAsync("admin-console-4", "admin");
        await Marked(checker, "nav-requests").ClickAsync();
        await Marked(checker, "request-BlacklistRemoval").Filter(new LocatorFilterOptions { HasText = "admin-console-3" }).Locator("[data-test=approve-request]").ClickAsync();
        await Expect(Marked(checker, "request-done")).ToBeVisibleAsync();
        await Marked(checker, "nav-blacklist").ClickAsync();
        await Expect(Marked(checker, "blacklist-entries")).Not.ToContainTextAsync("0777");

        string champion = (await Host.Client.GetFromJsonAsync<JsonElement>("risk/models/credit-risk")).GetProperty("champion").GetProperty("version").GetString()!;
        // Last night's comparison with a challenger, as monitoring saves it: the page shows the arms, the paired AUC and the guardrails' verdict.
        await new BlobRiskMetrics(new BlobServiceClient(fixture.Azurite.ConnectionString)).SaveComparisonAsync(new ChallengerComparison(
            "credit-risk", champion, "00000000000c0ffe", 0.2, JisuDai.Lending.Calendar.LenderCalendar.Today(TimeProvider.System).AddDays(-1), "fpd",
            new ArmSummary("champion", 800, 0.61, 300, 24, 0.08), new ArmSummary("challenger", 200, 0.64, 80, 5, 0.0625), null, 120,
            new JisuDai.Risk.Metrics.PairedAuc(new(0.712, 0.66, 0.76), new(0.748, 0.70, 0.79), new(0.036, -0.004, 0.076), 0.081),
            null, null, new Stability(0.04, StabilityBand.Stable, 1000), false, ["The challenger's AUC is not better beyond the interval."]), CancellationToken.None);
        await Marked(checker, "nav-models").ClickAsync();
        await Expect(Marked(checker, "model-champion")).ToHaveTextAsync(champion);
        await Expect(Marked(checker, "model-comparison")).ToContainTextAsync("0.712 → 0.748");
        await Expect(Marked(checker, "model-comparison")).ToContainTextAsync("not better beyond the interval");
        await ShootAsync(checker, "models");
        await Marked(checker, "model-versions").Locator("tr", new LocatorLocatorOptions { HasText = champion }).Locator("[data-test=model-report]").ClickAsync();
        JsonElement report = (await Host.Client.GetFromJsonAsync<JsonElement>($"risk/models/credit-risk/versions/{champion}")).GetProperty("report");
        await Expect(Marked(checker, "model-candidates").Locator("tbody tr")).ToHaveCountAsync(report.GetProperty("candidates").GetArrayLength());
        await Expect(Marked(checker, "model-report-summary")).ToContainTextAsync(report.GetProperty("champion").GetString()!);
        await Expect(Marked(checker, "chart-iv").Locator("canvas")).ToHaveCountAsync(1);
        await Expect(Marked(checker, "chart-score-baseline").Locator("canvas")).ToHaveCountAsync(1);
        await ShootAsync(checker, "model-report");
    }

    [Fact]
    public async Task An_admin_halts_lending_in_one_step_lifting_it_takes_a_second_admin_and_a_days_reconciliation_runs_from_the_console()
    {
        IPage admin = await fixture.SignInAsync("admin-console-5", "admin");
        await Marked(admin, "nav-operations").ClickAsync();
        await Expect(Marked(admin, "halt-state")).ToHaveTextAsync("正常放款");
        await Field(admin, "halt-reason").FillAsync("payment provider incident");
        await Marked(admin, "halt").ClickAsync();
        await Expect(Marked(admin, "halt-state")).ToHaveTextAsync("已暂停放款");
        Assert.True((await Host.Client.GetFromJsonAsync<JsonElement>("halt")).GetProperty("halted").GetBoolean());
        await Marked(admin, "propose-lift").ClickAsync();
        await Expect(Marked(admin, "operations-message")).ToContainTextAsync(new Regex("[0-9a-f]{32}"));

        // Reconciliation of yesterday's statement from the payment simulator.
        await Marked(admin, "reconcile").ClickAsync();
        await Expect(Marked(admin, "reconciliation-summary")).ToBeVisibleAsync();

        // Daily caps are replaced whole against the version read; a second admin approves.
        await Marked(admin, "edit-caps").ClickAsync();
        await Marked(admin, "add-cap").ClickAsync();
        await Field(admin, "cap-key").FillAsync("express");
        await Field(admin, "cap-approvals").FillAsync("250");
        await Marked(admin, "propose-caps").ClickAsync();
        await Expect(Marked(admin, "operations-message")).ToContainTextAsync(new Regex("[0-9a-f]{32}"));
        await ShootAsync(admin, "operations");

        IPage checker = await fixture.SignInAsync("admin-console-6", "admin");
        await Marked(checker, "nav-requests").ClickAsync();
        await Marked(checker, "request-HaltLift").Filter(new LocatorFilterOptions { HasText = "admin-console-5" }).Locator("[data-test=approve-request]").ClickAsync();
        await Expect(Marked(checker, "request-done")).ToBeVisibleAsync();
        Assert.False((await Host.Client.GetFromJsonAsync<JsonElement>("halt")).GetProperty("halted").GetBoolean());
        await Marked(checker, "request-DailyCapsChange").Filter(new LocatorFilterOptions { HasText = "admin-console-5" }).Locator("[data-test=approve-request]").ClickAsync();
        await Expect(Marked(checker, "request-done")).ToHaveCountAsync(2); // the lift's, and now the caps
        await Marked(checker, "nav-operations").ClickAsync();
        await Expect(Marked(checker, "halt-state")).ToHaveTextAsync("正常放款");
        await Expect(Marked(checker, "daily-caps").Locator("tr", new LocatorLocatorOptions { HasText = "express" })).ToContainTextAsync("250");
    }

    [Fact]
    public async Task The_dashboard_draws_the_rates_the_score_and_input_stability_the_volume_and_the_rule_hits_from_the_monitored_days()
    {
        // A week as nightly monitoring would have measured it (it counts through yesterday, so today's decisions are not in yet).
        DateOnly yesterday = JisuDai.Lending.Calendar.LenderCalendar.Today(TimeProvider.System).AddDays(-1);
        var metrics = new BlobRiskMetrics(new BlobServiceClient(fixture.Azurite.ConnectionString));
        for (int i = 0; i < 7; i++)
        {
            DateOnly day = yesterday.AddDays(-i);
            long decisions = 200 + (i * 10), approved = 120 - (i * 5), referred = 30;
            double psi = 0.02 + (i * 0.04);
            await metrics.SaveDayAsync(day, [new DailyRiskMetrics(day, "model-a", "rules-a", decisions, approved, referred, decisions - approved - referred,
                (double)approved / decisions, (double)referred / decisions, (double)(decisions - approved - referred) / decisions, 610 - i,
                new Stability(psi, psi < 0.1 ? StabilityBand.Stable : psi < 0.25 ? StabilityBand.Watch : StabilityBand.Shifted, decisions),
                [new InputStability("credit_amount", new Stability(0.31, StabilityBand.Shifted, decisions), []), new InputStability("age", new Stability(0.04, StabilityBand.Stable, decisions), [])],
                [new RuleHitRate("policy/POL-DTI-HIGH", 12 + i, (12.0 + i) / decisions)], ScoreBins: [.. Enumerable.Range(0, 11).Select(b => b == 10 ? 0 : decisions / 10 + (b < 3 ? i : -i))])], CancellationToken.None);
        }

        IPage page = await fixture.SignInAsync("rev-dashboard", "reviewer");
        await Marked(page, "nav-dashboard").ClickAsync();
        // Rates, PSI, volume, each input's CSI on the latest day and over the week, and where the scores fell among the training deciles.
        await Expect(Marked(page, "dashboard-charts").Locator("canvas")).ToHaveCountAsync(6);
        await Expect(Marked(page, "rule-hits")).ToContainTextAsync("policy/POL-DTI-HIGH");
        await Expect(Marked(page, "rule-hits")).ToContainTextAsync("12"); // yesterday's hits
        await Expect(Marked(page, "run-monitoring")).ToHaveCountAsync(0); // an admin's power
        // Drawn, not just placed: each chart's canvas has thousands of painted pixels (lines, bars, axes, labels).
        await page.WaitForTimeoutAsync(1500); // ECharts animates its first drawing
        int[] painted = await page.EvaluateAsync<int[]>("""
            () => [...document.querySelectorAll('[data-test=dashboard-charts] canvas')].map(c => {
              const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
              let n = 0
              for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++
              return n
            })
            """);
        Assert.All(painted, n => Assert.True(n > 2_000, $"a chart painted only {n} pixels: {string.Join(", ", painted)}"));
        await ShootAsync(page, "dashboard");
    }

    [Fact]
    public async Task An_admin_drafts_a_new_product_from_one_in_force_and_it_is_offered_once_a_second_admin_approves()
    {
        IPage admin = await fixture.SignInAsync("admin-console-7", "admin");
        await Marked(admin, "nav-products").ClickAsync();
        ILocator express = Marked(admin, "products").Locator("tbody tr", new LocatorLocatorOptions { HasText = "express" });
        await express.Locator("[data-test=product-versions]").ClickAsync();
        await Expect(Marked(admin, "product-publications").Locator("tbody tr")).Not.ToHaveCountAsync(0);
        await express.Locator("[data-test=product-draft]").ClickAsync();
        JsonNode draft = JsonNode.Parse(await Field(admin, "product-document").InputValueAsync())!;
        Assert.Equal("express", (string)draft["code"]!);

        // A new product of its own code, so the other tests' applications keep the terms they expect.
        draft["code"] = "console-test";
        draft["version"] = 1; // a new product starts at version 1
        await Field(admin, "product-document").FillAsync(draft.ToJsonString());
        await Marked(admin, "validate-product").ClickAsync();
        await Expect(Marked(admin, "products-message")).ToContainTextAsync("console-test v1");
        await Marked(admin, "propose-product").ClickAsync();
        await Expect(Marked(admin, "products-message")).ToContainTextAsync(new Regex("[0-9a-f]{32}"));
        await ShootAsync(admin, "products");
        JsonElement request = (await Host.Client.GetFromJsonAsync<JsonElement>("staff-requests")).EnumerateArray()
            .Single(r => r.GetProperty("power").GetString() == "ProductPublication" && r.GetProperty("proposedBy").GetString() == "admin-console-7");
        await ApproveAsync(Host, request);
        await admin.ReloadAsync();
        await Expect(Marked(admin, "products").Locator("tbody tr", new LocatorLocatorOptions { HasText = "console-test" })).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_borrowers_token_opens_no_console_page()
    {
        IPage page = await (await fixture.Browser.NewContextAsync()).NewPageAsync();
        await page.GotoAsync(fixture.ConsoleUrl + "#/reviews");
        await Expect(page).ToHaveURLAsync(new Regex("#/sign-in"));
        await Field(page, "token").FillAsync(TestTokens.For("cust-console-2", Roles.Applicant));
        await Marked(page, "use-token").ClickAsync();
        await Expect(Marked(page, "problem")).ToContainTextAsync("403");
        await Expect(Marked(page, "signed-in")).ToHaveCountAsync(0);
        await page.GotoAsync(fixture.ConsoleUrl + "#/requests");
        await Expect(page).ToHaveURLAsync(new Regex("#/sign-in"));
        await ShootAsync(page, "sign-in");

        // Nor does a development sign-in make a borrower, or answer a call a proxy forwarded.
        using HttpResponseMessage asBorrower = await Host.Anonymous.PostAsJsonAsync("dev/sign-in", new { subject = "cust-console-2", role = "applicant" });
        Assert.Equal(HttpStatusCode.BadRequest, asBorrower.StatusCode);
        Assert.Equal(["role"], (await asBorrower.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        using var forwarded = new HttpRequestMessage(HttpMethod.Post, "dev/sign-in") { Content = JsonContent.Create(new { subject = "rev-9", role = "reviewer" }) };
        forwarded.Headers.Add("X-Forwarded-For", "203.0.113.9");
        Assert.Equal(HttpStatusCode.NotFound, (await Host.Anonymous.SendAsync(forwarded)).StatusCode);
    }

    [Fact]
    public async Task The_app_serves_the_built_console_its_assets_cached_for_good_nothing_outside_it_and_a_first_page_under_800_KB_gzipped()
    {
        using HttpResponseMessage redirect = await new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Host.Anonymous.BaseAddress }.GetAsync("console");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/api/console/", redirect.Headers.Location!.ToString());

        using HttpResponseMessage index = await Host.Anonymous.GetAsync("console/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType!.MediaType);
        Assert.Contains("default-src 'self'", index.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-cache", index.Headers.CacheControl!.ToString());
        string html = await index.Content.ReadAsStringAsync();

        // What the first page loads: the entry script, the chunks it preloads and the style sheets.
        string[] assets = Regex.Matches(html, "(?:src|href)=\"/api/console/(assets/[^\"]+)\"").Select(m => m.Groups[1].Value).Distinct().ToArray();
        Assert.Contains(assets, a => a.EndsWith(".js", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.EndsWith(".css", StringComparison.Ordinal));
        long gzipped = 0;
        foreach (string asset in assets)
        {
            using HttpResponseMessage file = await Host.Anonymous.GetAsync($"console/{asset}");
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
            Assert.Contains("immutable", file.Headers.CacheControl!.ToString());
            byte[] bytes = await file.Content.ReadAsByteArrayAsync();
            using var compressed = new MemoryStream();
            using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                gzip.Write(bytes);
            }

            gzipped += compressed.Length;
        }

        Assert.True(gzipped <= 800 * 1024, $"the first page is {gzipped / 1024} KB gzipped");
        Assert.DoesNotContain(assets, a => a.Contains("charts", StringComparison.Ordinal)); // the charts load with the dashboard

        foreach (string outside in new[] { "console/assets/none.js", "console/..%2Fhost.json", "console/%2E%2E/host.json", "console/assets/..%2F..%2Fhost.json" })
        {
            using HttpResponseMessage refused = await Host.Anonymous.GetAsync(outside);
            // A dot segment the client or the router resolves falls outside the console's route: the host's own 404.
            Assert.True(refused.StatusCode == HttpStatusCode.NotFound, outside);
            Assert.DoesNotContain("extensions", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
