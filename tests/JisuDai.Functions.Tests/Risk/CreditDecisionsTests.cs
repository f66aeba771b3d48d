using JisuDai.Tests.Shared.Security;
using System.Text;
using System.Text.Json.Nodes;
using JisuDai.Adapters.Composition;
using JisuDai.App.Results;
using JisuDai.App.Risk;
using JisuDai.Lending;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Products;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Defaults;
using JisuDai.Risk.Rules;
using JisuDai.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JisuDai.Functions.Tests.Risk;

/// <summary>The app's composition on Azurite, with the default model trained once, for the decision service's tests.</summary>
public sealed class DecisionServices : IAsyncLifetime
{
    readonly List<ServiceProvider> providers = [];

    public AzuriteServer Azurite { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.StartAsync();
        await (await ProviderAsync("default")).GetRequiredService<RiskModel>().RefreshAsync(CancellationToken.None);
    }

    /// <summary>The app's services deciding with rule set <paramref name="rules"/>, the champion model loaded; <paramref name="replace"/> changes services after composition.</summary>
    public async Task<ServiceProvider> ProviderAsync(string rules, Action<IServiceCollection>? replace = null)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = Azurite.ConnectionString,
            ["Rules:Name"] = rules,
            ["Security:PersonalDataKey"] = TestTokens.PersonalDataKey,
        }.Concat(TestKeyVault.Settings)).Build();
        IServiceCollection collection = new ServiceCollection().AddLogging().AddJisuDai(configuration);
        replace?.Invoke(collection);
        ServiceProvider provider = collection.BuildServiceProvider();
        providers.Add(provider);
        await provider.GetRequiredService<RiskModel>().RefreshAsync(CancellationToken.None);
        return provider;
    }

    public async Task DisposeAsync()
    {
        foreach (ServiceProvider provider in providers)
        {
            await provider.DisposeAsync();
        }

        await Azurite.DisposeAsync();
    }
}

/// <summary>Credit decisions end to end on Azurite: checks, score, rules, the write-once record, replay.</summary>
public sealed class CreditDecisionsTests(DecisionServices services) : IClassFixture<DecisionServices>
{
    static int next;

    /// <summary>A decision on a real application (it leaves velocity sightings and may blacklist), unless <paramref name="whatIf"/>.</summary>
    static DecisionCommand Command(string key, string? phone = null, string? idNumber = null, Dictionary<string, string?>? extra = null, bool whatIf = false)
    {
        var application = new Dictionary<string, string?>
        {
            ["amount"] = "20000", ["termMonths"] = "12", ["age"] = "40", ["monthlyIncome"] = "15000", ["monthlyDebtPayments"] = "500",
            ["housing"] = "own", ["purpose"] = "used-car", ["employmentYears"] = "8", ["checkingBalance"] = "900",
            ["savingsBalance"] = "3000", ["creditHistory"] = "critical", ["otherParties"] = "none",
        };
        foreach ((string k, string? v) in extra ?? [])
        {
            application[k] = v;
        }

        // Every applicant its own phone, ID, device and address: the tests share one Azurite, and shared identifiers
        // would add up in the velocity checks of whichever test runs later.
        int n = Interlocked.Increment(ref next);
        return new DecisionCommand(key, "c-" + n, whatIf ? null : $"app-{n}.c-{n}", "express", application,
            new ApplicantIdentity(idNumber ?? $"11010119800101{n:0000}", phone ?? $"+861380000{n:0000}", "Wang Wu", $"device-{Guid.NewGuid():N}", $"10.9.{n / 250}.{n % 250 + 1}"), null);
    }

    [Fact]
    public async Task Behaviour_features_are_computed_as_of_the_decision_and_the_replay_reads_the_recorded_ones()
    {
        ServiceProvider provider = await services.ProviderAsync("default");
        var decisions = provider.GetRequiredService<CreditDecisions>();
        var sightings = provider.GetRequiredService<JisuDai.App.Behaviour.DeviceSightings>();
        DecisionCommand command = Command($"key-{Guid.NewGuid():N}") with { BankCard = "6222020212345679" };
        string device = command.Applicant.DeviceId!;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await sightings.RecordAsync("someone-else-1", now.AddDays(-3), device, null, "6222020212345679", CancellationToken.None);
        await sightings.RecordAsync("someone-else-2", now.AddDays(-40), device, null, null, CancellationToken.None);

        var first = Assert.IsType<DecisionOutcome.Decided>(await decisions.DecideAsync(command, CancellationToken.None));
        var features = first.Decision.Behaviour!;
        Assert.Equal(40, features.DeviceAgeDays); // first seen 40 days ago, by someone else
        Assert.Equal(2, features.CustomersPerDevice30d); // the one 40 days ago is out of the window; this customer is in it
        Assert.Equal(2, features.CustomersPerCard30d);
        Assert.Equal(0, features.SignIns30d);
        Assert.Null(features.NightShare30d); // no events: unknown, not zero
        Assert.Null(features.HoursSinceSignUp); // no customer record for this subject

        // Seen since by more customers: a replay still reads what was known then.
        for (int i = 3; i < 6; i++)
        {
            await sightings.RecordAsync($"someone-else-{i}", now, device, null, null, CancellationToken.None);
        }

        Assert.True((await decisions.ReplayAsync(first.Decision.Id, CancellationToken.None))!.Reproduced);
        var later = Assert.IsType<DecisionOutcome.Decided>(await decisions.DecideAsync(command with { IdempotencyKey = $"key-{Guid.NewGuid():N}" }, CancellationToken.None));
        Assert.Equal(5, later.Decision.Behaviour!.CustomersPerDevice30d);
        Assert.Contains(later.Decision.Result.Fired, r => r.RuleId == "FRD-DEVICE-SIGNINS");
        Assert.Contains(first.Decision.Result.Fired, r => r.RuleId == "FRD-DEVICE-SIGNINS"); // the card was another customer's too
    }

    [Fact]
    public async Task A_decision_is_recorded_once_per_key_and_replays_exactly()
    {
        ServiceProvider provider = await services.ProviderAsync("default");
        var decisions = provider.GetRequiredService<CreditDecisions>();
        DecisionCommand command = Command($"key-{Guid.NewGuid():N}");

        var first = Assert.IsType<DecisionOutcome.Decided>(await decisions.DecideAsync(command, CancellationToken.None));
        var again = Assert.IsType<DecisionOutcome.Decided>(await decisions.DecideAsync(command, CancellationToken.None));
        var reused = Assert.IsType<DecisionOutcome.KeyReused>(await decisions.DecideAsync(
            command with { Application = new Dictionary<string, string?>(command.Application) { ["amount"] = "30000" } }, CancellationToken.None));

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(first.Decision.Id, again.Decision.Id);
        Assert.Equal(first.Decision.Id, reused.DecisionId);
        CreditDecision recorded = (await decisions.FindAsync(first.Decision.Id, CancellationToken.None))!;
        Assert.Equal(first.Decision.Result.Outcome, recorded.Result.Outcome);
        Assert.Equal("1101**********" + command.Applicant.IdNumber[^4..], recorded.Applicant["idNumber"]);
        Assert.DoesNotContain(command.Applicant.Phone, System.Text.Json.JsonSerializer.Serialize(recorded));
        Assert.All(new[] { "checks", "score", "rules" }, stage => Assert.True(recorded.TimingsMicroseconds[stage] > 0));

        Replay replay = (await decisions.ReplayAsync(first.Decision.Id, CancellationToken.None))!;
        Assert.True(replay.Reproduced);
        Assert.Equal(recorded.ModelVersion, replay.Score.ModelVersion);
        Assert.Null(await decisions.ReplayAsync("nope.c-1", CancellationToken.None));
    }

    /// <summary>The rule-set store, counting the versions read.</summary>
    sealed class CountedRuleSets(IRuleSetStore inner) : IRuleSetStore
    {
        int reads;

        public int VersionsRead => Volatile.Read(ref reads);

        public Task<byte[]?> GetAsync(string name, string version, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref reads);
            return inner.GetAsync(name, version, cancellationToken);
        }

        public Task<PublishedRuleSet> PublishAsync(RuleSet ruleSet, CancellationToken cancellationToken) => inner.PublishAsync(ruleSet, cancellationToken);

        public Task<IReadOnlyList<PublishedRuleSet>> ListAsync(string name, CancellationToken cancellationToken) => inner.ListAsync(name, cancellationToken);

        public Task StoreAsync(RuleSet ruleSet, CancellationToken cancellationToken) => inner.StoreAsync(ruleSet, cancellationToken);

        public Task<JisuDai.Risk.Models.ChallengerArm?> GetChallengerAsync(string name, CancellationToken cancellationToken) => inner.GetChallengerAsync(name, cancellationToken);

        public Task SetChallengerAsync(string name, JisuDai.Risk.Models.ChallengerArm? challenger, CancellationToken cancellationToken) => inner.SetChallengerAsync(name, challenger, cancellationToken);

        public Task<PublishedRuleSet?> RollbackAsync(string name, DateTimeOffset now, CancellationToken cancellationToken) => inner.RollbackAsync(name, now, cancellationToken);
    }

    [Fact]
    public async Task The_rule_set_in_force_is_read_and_compiled_once_for_the_model_not_once_per_decision()
    {
        CountedRuleSets? counted = null;
        ServiceProvider provider = await services.ProviderAsync("default", collection =>
        {
            ServiceDescriptor original = collection.Last(d => d.ServiceType == typeof(IRuleSetStore));
            collection.AddSingleton<IRuleSetStore>(sp => counted = new CountedRuleSets((IRuleSetStore)original.ImplementationFactory!(sp)));
        });
        var decisions = provider.GetRequiredService<CreditDecisions>();
        for (int i = 0; i < 5; i++)
        {
            Assert.IsType<DecisionOutcome.Decided>(await decisions.DecideAsync(Command($"r-{Guid.NewGuid():N}"), CancellationToken.None));
        }

        // A read per decision was also a compiled rule set kept per decision: memory that grew with every application.
        Assert.Equal(1, counted!.VersionsRead);
    }

    [Fact]
    public async Task A_third_application_from_one_phone_in_a_day_is_referred_for_high_velocity()
    {
        var decisions = (await services.ProviderAsync("default")).GetRequiredService<CreditDecisions>();
        string phone = $"+86137{Random.Shared.Next(10_000_000, 99_999_999)}";

        var outcomes = new List<CreditDecision>();
        for (int i = 0; i < 3; i++)
        {
            outcomes.Add(Assert.IsType<DecisionOutcome.Decided>(await decisions.DecideAsync(Command($"v-{Guid.NewGuid():N}", phone), CancellationToken.None)).Decision);
        }

        Assert.Equal([1, 2, 3], outcomes.Select(d => d.Checks.Velocity["phone"].Last24Hours));
        Assert.DoesNotContain("HIGH_VELOCITY", outcomes[1].Result.Reasons);
        Assert.Contains("HIGH_VELOCITY", outcomes[2].Result.Reasons);
        Assert.NotEqual(CreditOutcome.Approve, outcomes[2].Result.Outcome);
    }

    [Fact]
    public async Task A_very_high_tier_blacklists_the_applicant_and_their_next_application_is_declined_as_blacklisted()
    {
        ServiceProvider provider = await services.ProviderAsync("blacklisting");
        JsonNode doc = JsonNode.Parse(DefaultModel.RulesJson())!;
        doc["name"] = "blacklisting";
        doc["tiers"] = JsonNode.Parse("""[{ "tier": "very-high", "action": "decline", "incomeMultiple": 0, "annualRate": 0.24, "blacklist": true, "alert": true }]""");
        await provider.GetRequiredService<IRuleSetStore>().PublishAsync(
            RuleSet.Parse(Encoding.UTF8.GetBytes(doc.ToJsonString()), RuleSetCatalogs.Publishing).RuleSet!, CancellationToken.None);
        var decisions = provider.GetRequiredService<CreditDecisions>();
        string phone = $"+86136{Random.Shared.Next(10_000_000, 99_999_999)}";

        CreditDecision first = Assert.IsType<DecisionOutcome.Decided>(await decisions.DecideAsync(Command($"b-{Guid.NewGuid():N}", phone), CancellationToken.None)).Decision;
        CreditDecision second = Assert.IsType<DecisionOutcome.Decided>(await decisions.DecideAsync(Command($"b-{Guid.NewGuid():N}", phone), CancellationToken.None)).Decision;

        Assert.Equal((CreditOutcome.Decline, true, true), (first.Result.Outcome, first.Result.Blacklist, first.Result.Alert));
        Assert.Empty(first.Checks.Blacklist);
        Assert.Contains(second.Checks.Blacklist, h => h.Kind == "phone" && h.Source == "decision-engine");
        Assert.Contains("BLACKLISTED", second.Result.Reasons);
    }

    [Fact]
    public async Task Bad_requests_name_each_field_and_record_nothing()
    {
        ServiceProvider provider = await services.ProviderAsync("default");
        var decisions = provider.GetRequiredService<CreditDecisions>();
        DecisionCommand bad = Command("", extra: new() { ["monthlyIncome"] = "lots", ["housing"] = "castle", ["salary"] = "1" }) with { ProductCode = "mortgage" };

        var invalid = Assert.IsType<DecisionOutcome.Invalid>(await decisions.DecideAsync(bad, CancellationToken.None));
        Assert.Equal(["Idempotency-Key", "application.monthlyIncome", "productCode"], invalid.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));

        var unmappable = Assert.IsType<DecisionOutcome.Invalid>(await decisions.DecideAsync(bad with { IdempotencyKey = "k", ProductCode = "express",
            Application = new Dictionary<string, string?>(bad.Application) { ["monthlyIncome"] = "9000" } }, CancellationToken.None));
        Assert.Equal(["housing", "salary"], unmappable.Errors.Select(e => e.Field).Order(StringComparer.Ordinal));

        var store = provider.GetRequiredService<IDocumentStore<CreditDecision>>();
        Assert.Empty(await store.ListByCustomerAsync(bad.CustomerId, CancellationToken.None));
        var seen = await provider.GetRequiredService<IVelocityStore>().SeenAsync("phone", bad.Applicant.Phone, DateTimeOffset.UtcNow.AddDays(-1), CancellationToken.None);
        Assert.Empty(seen);
    }

    [Fact]
    public async Task A_returning_customer_is_decided_with_the_behaviour_score_of_their_loans_and_a_good_one_earns_the_good_history_terms()
    {
        ServiceProvider provider = await services.ProviderAsync("default");
        var loans = provider.GetRequiredService<IDocumentStore<JisuDai.Lending.Loans.Loan>>();
        var applications = provider.GetRequiredService<IDocumentStore<JisuDai.Lending.Applications.LoanApplication>>();
        var personalData = provider.GetRequiredService<JisuDai.App.Security.PersonalData>();
        var decider = provider.GetRequiredService<JisuDai.App.Applications.IApplicationDecider>();
        var decisions = provider.GetRequiredService<CreditDecisions>();
        var product = JisuDai.Lending.Products.BuiltInProducts.Express;
        var disbursed = new DateOnly(2025, 6, 10);
        var schedule = JisuDai.Lending.Products.Offers.Price(product, JisuDai.Lending.Products.Offers.TermsFor(product, 6_000m, 12, 0.18m), disbursed).Value!.Schedule;

        async Task<CreditDecision> DecideReturning(string customer, bool repaidOnTime)
        {
            // A year-old loan, every installment due by now: repaid on each due date, or never.
            var repayments = repaidOnTime
                ? schedule.Installments.Select(i => new JisuDai.Lending.Loans.RecordedRepayment($"p{i.Number}", i.DueDate, i.Total, DateTimeOffset.UnixEpoch)).ToList()
                : [];
            await loans.CreateAsync(new JisuDai.Lending.Loans.Loan($"loan-1.{customer}", customer, $"app-1.{customer}", 6_000m,
                repaidOnTime ? JisuDai.Lending.Loans.LoanStatus.PaidOff : JisuDai.Lending.Loans.LoanStatus.Overdue, disbursed, product.Code, schedule, "tr", repayments));
            DecisionCommand shape = Command("unused");
            string id = $"app-2.{customer}";
            await applications.CreateAsync(new JisuDai.Lending.Applications.LoanApplication(id, customer, "express", 20_000m, 12,
                JisuDai.Lending.Applications.ApplicationStatus.Submitted, new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8)), "hash",
                await personalData.SealAsync(new JisuDai.App.Applications.ApplicantIdentitySealed("Li Si", shape.Applicant.IdNumber, shape.Applicant.Phone, "6222020200112230", shape.Applicant.DeviceId, "10.9.8.7"), customer, id, CancellationToken.None),
                shape.Application));
            var decided = await decider.DecideAsync(customer, id, CancellationToken.None);
            return (await decisions.FindAsync(decided.DecisionId, CancellationToken.None))!;
        }

        CreditDecision good = await DecideReturning($"good{Guid.NewGuid():N}"[..16], repaidOnTime: true);
        CreditDecision behind = await DecideReturning($"behind{Guid.NewGuid():N}"[..16], repaidOnTime: false);

        Assert.True(good.Customer!.BehaviourScore >= 700, $"A year repaid on time scored {good.Customer.BehaviourScore}.");
        Assert.True(behind.Customer!.BehaviourScore < 500, $"A year unpaid scored {behind.Customer.BehaviourScore}.");
        Assert.Contains(good.Result.Fired, r => r.RuleId == "ADJ-GOOD-HISTORY");
        Assert.DoesNotContain(behind.Result.Fired, r => r.RuleId == "ADJ-GOOD-HISTORY");
    }

    [Fact]
    public async Task A_what_if_decision_with_no_application_leaves_no_sighting_and_blacklists_no_one()
    {
        ServiceProvider provider = await services.ProviderAsync("whatif");
        JsonNode doc = JsonNode.Parse(DefaultModel.RulesJson())!;
        doc["name"] = "whatif";
        doc["tiers"] = JsonNode.Parse("""[{ "tier": "very-high", "action": "decline", "incomeMultiple": 0, "annualRate": 0.24, "blacklist": true }]""");
        await provider.GetRequiredService<IRuleSetStore>().PublishAsync(
            RuleSet.Parse(Encoding.UTF8.GetBytes(doc.ToJsonString()), RuleSetCatalogs.Publishing).RuleSet!, CancellationToken.None);
        var decisions = provider.GetRequiredService<CreditDecisions>();
        string phone = $"+86137{Random.Shared.Next(10_000_000, 99_999_999)}";

        CreditDecision whatIf = Assert.IsType<DecisionOutcome.Decided>(await decisions.DecideAsync(Command($"w-{Guid.NewGuid():N}", phone, whatIf: true), CancellationToken.None)).Decision;
        CreditDecision real = Assert.IsType<DecisionOutcome.Decided>(await decisions.DecideAsync(Command($"w-{Guid.NewGuid():N}", phone), CancellationToken.None)).Decision;

        // The what-if came out as a blacklisting tier, yet the real application after it sees neither a sighting nor a listing.
        Assert.True(whatIf.Result.Blacklist);
        Assert.Equal(1, real.Checks.Velocity["phone"].Last24Hours);
        Assert.Empty(real.Checks.Blacklist);
        Assert.Empty(await provider.GetRequiredService<IVelocityStore>().SeenAsync("phone", phone, DateTimeOffset.UtcNow.AddDays(-1), CancellationToken.None)
            .ContinueWith(s => s.Result.Where(x => x.At < real.DecidedAt).ToList()));
    }
}
