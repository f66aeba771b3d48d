using JisuDai.App.Applications;
using JisuDai.App.Security;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Products;
using JisuDai.Risk.Decisions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace JisuDai.Functions.Tests.Risk;

/// <summary>
/// The decision at submission on Azurite, with the app's own decider: within its budget it answers the decision the
/// approval then takes; with the decision store slowed past the budget it answers nothing at once, the approval decides,
/// and there is one decision record, not two; an approval asking while the submission's decision is under way shares it.
/// </summary>
public sealed class DecisionAtSubmissionTests(DecisionServices services) : IClassFixture<DecisionServices>
{
    /// <summary>The decision store, each call held up by <see cref="Delay"/> without heeding cancellation: a store slow to answer, the worst kind.</summary>
    sealed class SlowDecisions(IDocumentStore<CreditDecision> inner) : IDocumentStore<CreditDecision>
    {
        int busy, calls;

        public TimeSpan Delay { get; set; }

        /// <summary>Finds and creates asked for so far.</summary>
        public int Calls => Volatile.Read(ref calls);

        /// <summary>Calls still under way.</summary>
        public int Busy => Volatile.Read(ref busy);

        async Task<TResult> Slowly<TResult>(Func<Task<TResult>> call)
        {
            Interlocked.Increment(ref busy);
            Interlocked.Increment(ref calls);
            try
            {
                await Task.Delay(Delay, CancellationToken.None);
                return await call();
            }
            finally
            {
                Interlocked.Decrement(ref busy);
            }
        }

        public Task<Versioned<CreditDecision>?> FindAsync(string customerId, string id, CancellationToken cancellationToken = default) =>
            Slowly(() => inner.FindAsync(customerId, id, CancellationToken.None));

        public Task<Versioned<CreditDecision>> CreateAsync(CreditDecision document, CancellationToken cancellationToken = default) =>
            Slowly(() => inner.CreateAsync(document, CancellationToken.None));

        public Task<Versioned<CreditDecision>> ReplaceAsync(CreditDecision document, string expectedETag, CancellationToken cancellationToken = default) =>
            inner.ReplaceAsync(document, expectedETag, cancellationToken);

        public Task<IReadOnlyList<Versioned<CreditDecision>?>> ReplaceManyAsync(IReadOnlyList<Versioned<CreditDecision>> documents, CancellationToken cancellationToken = default) =>
            inner.ReplaceManyAsync(documents, cancellationToken);

        public Task<bool> DeleteAsync(string customerId, string id, string expectedETag, CancellationToken cancellationToken = default) =>
            inner.DeleteAsync(customerId, id, expectedETag, cancellationToken);

        public Task<IReadOnlyList<Versioned<CreditDecision>>> ListByCustomerAsync(string customerId, CancellationToken cancellationToken = default) =>
            inner.ListByCustomerAsync(customerId, cancellationToken);

        public IAsyncEnumerable<Versioned<CreditDecision>> ScanAsync(CancellationToken cancellationToken = default) => inner.ScanAsync(cancellationToken);
    }

    async Task<(ServiceProvider Provider, SlowDecisions Decisions)> ComposeAsync()
    {
        SlowDecisions? slow = null;
        ServiceProvider provider = await services.ProviderAsync("default", collection =>
        {
            ServiceDescriptor original = collection.Last(d => d.ServiceType == typeof(IDocumentStore<CreditDecision>));
            var inner = (IDocumentStore<CreditDecision>)original.ImplementationInstance!;
            collection.AddSingleton<IDocumentStore<CreditDecision>>(slow = new SlowDecisions(inner));
        });
        return (provider, slow!);
    }

    /// <summary>A submitted application stored as the intake stores it, for customer <paramref name="customer"/>, and its applicant's identity.</summary>
    internal static async Task<(LoanApplication Application, ApplicantIdentitySealed Identity)> SubmittedAsync(ServiceProvider provider, string customer)
    {
        string id = $"{Guid.NewGuid():N}"[..20] + "." + customer;
        int n = Random.Shared.Next(10_000_000, 99_999_999);
        var request = new ApplicationRequest("Li Si", "110101199001011237", $"+86139{n}", "6222020212345679", 15000m, 6m, "own", 500m, 1, "express", 20000m, 12, "used-car", $"device-{n}");
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var identity = new ApplicantIdentitySealed("Li Si", "110101199001011237", request.Phone!, request.BankAccount!, request.DeviceId, $"10.1.{n % 250}.{n % 200}");
        var application = new LoanApplication(id, customer, "express", 20000m, 12, ApplicationStatus.Submitted, now, "hash",
            await provider.GetRequiredService<PersonalData>().SealAsync(identity, customer, id, CancellationToken.None),
            request.Fields(Lending.Calendar.LenderCalendar.DateOf(now)), [new ApplicationStep("submitted", ApplicationStatus.Submitted, now, "Application received.")], Product: BuiltInProducts.Express);
        await provider.GetRequiredService<IDocumentStore<LoanApplication>>().CreateAsync(application);
        return (application, identity);
    }

    [Fact]
    public async Task Within_its_budget_it_answers_the_decision_and_deciding_again_returns_that_one_record()
    {
        (ServiceProvider provider, SlowDecisions decisions) = await ComposeAsync();
        (LoanApplication application, ApplicantIdentitySealed identity) = await SubmittedAsync(provider, $"c-{Guid.NewGuid():N}"[..12]);
        var atSubmission = new DecisionAtSubmission(provider.GetRequiredService<IApplicationDecider>(), TimeSpan.FromSeconds(20), NullLogger<DecisionAtSubmission>.Instance);

        ApprovalDecision? decided = await atSubmission.TryDecideAsync(application, identity);
        ApprovalDecision again = await provider.GetRequiredService<IApplicationDecider>().DecideAsync(application.CustomerId, application.Id, CancellationToken.None);

        Assert.NotNull(decided);
        Assert.Equal(decided.DecisionId, again.DecisionId);
        Assert.Equal(decided.Outcome, again.Outcome);
        CreditDecision recorded = Assert.Single(await decisions.ListByCustomerAsync(application.CustomerId)).Document;
        Assert.Equal((decided.DecisionId, application.Id), (recorded.Id, recorded.ApplicationId));
        Assert.Equal(decided.Outcome, recorded.Result.Outcome);
    }

    [Fact]
    public async Task A_decision_store_slower_than_the_budget_gets_no_answer_at_submission_and_the_approval_shares_the_decision_under_way()
    {
        (ServiceProvider provider, SlowDecisions decisions) = await ComposeAsync();
        (LoanApplication application, ApplicantIdentitySealed identity) = await SubmittedAsync(provider, $"c-{Guid.NewGuid():N}"[..12]);
        var atSubmission = new DecisionAtSubmission(provider.GetRequiredService<IApplicationDecider>(), TimeSpan.FromMilliseconds(300), NullLogger<DecisionAtSubmission>.Instance);
        decisions.Delay = TimeSpan.FromSeconds(2);

        ApprovalDecision? decided = await atSubmission.TryDecideAsync(application, identity);
        Assert.Null(decided);
        Assert.True(decisions.Busy > 0, "the submission was answered while the store was still working on its decision");

        // The approval's decision activity, while the abandoned one is still under way, on the same slow store.
        ApprovalDecision byApproval = await provider.GetRequiredService<IApplicationDecider>().DecideAsync(application.CustomerId, application.Id, CancellationToken.None);
        while (decisions.Busy > 0)
        {
            await Task.Delay(50);
        }

        // One decision's calls on the store (a look for an earlier one, then the record), not a second decision racing it.
        Assert.Equal(2, decisions.Calls);
        CreditDecision recorded = Assert.Single(await decisions.ListByCustomerAsync(application.CustomerId)).Document;
        Assert.Equal((byApproval.DecisionId, byApproval.Outcome), (recorded.Id, recorded.Result.Outcome));

        // Once that decision is over, asking again is a fresh look that finds it.
        ApprovalDecision later = await provider.GetRequiredService<IApplicationDecider>().DecideAsync(application.CustomerId, application.Id, CancellationToken.None);
        Assert.Equal(byApproval.DecisionId, later.DecisionId);
        Assert.Equal(3, decisions.Calls);
    }

    [Fact]
    public void A_budget_of_zero_leaves_every_decision_to_the_approval_and_a_bad_one_names_the_setting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Approval:DecisionBudget"] = "00:00:00",
        }).Build();
        Assert.Equal(TimeSpan.Zero, DecisionAtSubmission.BudgetFrom(configuration));
        Assert.Equal(TimeSpan.FromMilliseconds(300), DecisionAtSubmission.BudgetFrom(new ConfigurationBuilder().Build()));
        configuration["Approval:DecisionBudget"] = "-00:00:01";
        Assert.Contains("Approval:DecisionBudget", Assert.Throws<App.Configuration.ConfigurationException>(() => { DecisionAtSubmission.BudgetFrom(configuration); }).Message);
    }
}
