using JisuDai.App.Applications;
using JisuDai.Functions.Tests.Risk;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Documents;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace JisuDai.Functions.Tests.Applications;

/// <summary>
/// The intake sweep on Azurite's intake log and application store: an application a submission stored and logged but
/// never started (the host stopped between) has its approval started once, without a decision, past the grace period;
/// started, moved-on, missing and young ones are left alone, and one that cannot be looked at stays for the next sweep.
/// </summary>
public sealed class IntakeSweepTests(DecisionServices services) : IClassFixture<DecisionServices>
{
    /// <summary>The approvals as the task hub would answer: those started, and a start asked for by the sweep.</summary>
    sealed class Approvals(params string[] alreadyStarted) : IApprovalWorkflow
    {
        readonly HashSet<string> started = [.. alreadyStarted];

        public List<ApprovalInput> Starts { get; } = [];

        public string? Unreachable { get; set; }

        public Task<ApprovalStarted?> FindAsync(string applicationId, CancellationToken cancellationToken) =>
            applicationId == Unreachable ? throw new TimeoutException("the task hub did not answer")
            : Task.FromResult(started.Contains(applicationId) ? new ApprovalStarted(null) : null);

        public Task StartAsync(ApprovalInput input, CancellationToken cancellationToken)
        {
            Starts.Add(input);
            started.Add(input.ApplicationId);
            return Task.CompletedTask;
        }

        public Task AcceptOfferAsync(string applicationId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task CancelAsync(LoanApplication application, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DecideReviewAsync(string applicationId, ReviewDecision decision, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task PayoutFinishedAsync(string transferId, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    [Fact]
    public async Task An_application_stored_without_its_approval_started_is_started_once_past_the_grace_and_the_others_are_left_alone()
    {
        ServiceProvider provider = await services.ProviderAsync("default");
        var log = provider.GetRequiredService<IIntakeLog>();
        var store = provider.GetRequiredService<IDocumentStore<LoanApplication>>();

        // As the intake leaves them: logged, then stored. Their submission time is now; the sweep's clock runs ahead.
        async Task<LoanApplication> SubmittedAndLoggedAsync()
        {
            LoanApplication application = (await DecisionAtSubmissionTests.SubmittedAsync(provider, $"c-{Guid.NewGuid():N}"[..12])).Application;
            await log.RecordAsync(new IntakeEntry(application.CustomerId, application.Id, application.SubmittedAt), CancellationToken.None);
            return application;
        }

        LoanApplication stranded = await SubmittedAndLoggedAsync();
        LoanApplication startedNormally = await SubmittedAndLoggedAsync();
        LoanApplication unreachable = await SubmittedAndLoggedAsync();
        LoanApplication movedOn = await SubmittedAndLoggedAsync();
        Versioned<LoanApplication> found = (await store.FindAsync(movedOn.CustomerId, movedOn.Id))!;
        await store.ReplaceAsync(found.Document with { Status = ApplicationStatus.Declined }, found.ETag);
        var neverStored = new IntakeEntry("c-gone", "0123456789abcdef0123.c-gone", DateTimeOffset.UtcNow);
        await log.RecordAsync(neverStored, CancellationToken.None);

        var approvals = new Approvals(startedNormally.Id) { Unreachable = unreachable.Id };
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        IntakeSweep Sweep() => new(log, store, provider.GetRequiredService<ApprovalTimeouts>(), clock, NullLogger<IntakeSweep>.Instance);
        string[] mine = [stranded.Id, startedNormally.Id, unreachable.Id, movedOn.Id, neverStored.ApplicationId];

        // Within the grace, a submission may still be on its way to starting its approval: nothing is touched.
        await Sweep().RunAsync(approvals, CancellationToken.None);
        Assert.Empty(approvals.Starts);

        clock.Advance(IntakeSweep.Grace + TimeSpan.FromSeconds(1));
        IntakeSweepResult first = await Sweep().RunAsync(approvals, CancellationToken.None);

        ApprovalInput start = Assert.Single(approvals.Starts, s => mine.Contains(s.ApplicationId));
        Assert.Equal((stranded.CustomerId, stranded.Id, stranded.Amount), (start.CustomerId, start.ApplicationId, start.Amount));
        Assert.Null(start.Decision); // the approval decides, taking the recorded decision if the submission made one
        Assert.Equal(1, first.Kept);
        var left = (await log.ListBeforeAsync(clock.GetUtcNow(), 10_000, CancellationToken.None)).Select(e => e.ApplicationId).Intersect(mine).ToList();
        Assert.Equal([unreachable.Id], left);

        // The next sweep, the task hub answering again, starts the one it could not look at, and nothing twice.
        approvals.Unreachable = null;
        await Sweep().RunAsync(approvals, CancellationToken.None);
        Assert.Equal([stranded.Id, unreachable.Id], approvals.Starts.Select(s => s.ApplicationId).Where(mine.Contains));
        Assert.Empty((await log.ListBeforeAsync(clock.GetUtcNow(), 10_000, CancellationToken.None)).Select(e => e.ApplicationId).Intersect(mine));
        Assert.Equal(ApplicationStatus.Submitted, (await store.FindAsync(stranded.CustomerId, stranded.Id))!.Document.Status); // the approval, not the sweep, records its steps
    }
}
