using JisuDai.Adapters.Composition;
using JisuDai.App.Configuration;
using JisuDai.App.Files;
using JisuDai.App.Identity;
using JisuDai.App.Notifications;
using JisuDai.App.Privacy;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Scoring;
using JisuDai.Tests;
using JisuDai.Tests.Shared.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace JisuDai.Functions.Tests.Privacy;

/// <summary>The nightly retention run deletes each class of data once it has outlived its period, and nothing younger.</summary>
public sealed class RetentionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    static readonly DateTimeOffset Start = new(2026, 12, 3, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Each_data_class_goes_when_its_period_ends_and_what_is_younger_or_still_needed_stays()
    {
        var clock = new FakeTimeProvider(Start);
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.Server.ConnectionString, ["Security:PersonalDataKey"] = TestTokens.PersonalDataKey,
        }.Concat(TestKeyVault.Settings)).Build();
        await using ServiceProvider services = new ServiceCollection().AddLogging().AddJisuDai(configuration).AddSingleton<TimeProvider>(clock).BuildServiceProvider();

        // The local SMS sink records at the clock's time: one message eight days before the run, one on its eve.
        var sms = services.GetRequiredService<ISmsSender>();
        await sms.SendAsync(new SmsMessage("+8613800138000", "验证码 123456", "old-code"), default);
        clock.Advance(TimeSpan.FromDays(8));
        await sms.SendAsync(new SmsMessage("+8613800138000", "验证码 654321", "new-code"), default);
        DateTimeOffset now = clock.GetUtcNow();

        var velocity = services.GetRequiredService<IVelocityStore>();
        await velocity.RecordAsync("phone", "+8613800138000", "app-old", new Sighting(now.AddDays(-181), "110101199003070011"), default);
        await velocity.RecordAsync("phone", "+8613800138000", "app-new", new Sighting(now.AddDays(-10), "110101199003070011"), default);

        var sendRecords = services.GetRequiredService<ISendRecords>();
        await sendRecords.SaveAsync(new SendRecord("send-old", SendStatus.Sent, 1, "p1", null, "repayment-reminder", "+86 138****8000", now.AddDays(-400), now.AddDays(-366), null), null, default);
        await sendRecords.SaveAsync(new SendRecord("send-new", SendStatus.Sent, 1, "p2", null, "repayment-reminder", "+86 138****8000", now.AddDays(-5), now.AddDays(-5), null), null, default);

        var phones = services.GetRequiredService<IDocumentStore<PhoneSignIn>>();
        await phones.CreateAsync(new PhoneSignIn("phone-spent", "cust-a", "hash-1", now.AddDays(-3), now.AddDays(-3).AddMinutes(5), WrongTries: 2));
        await phones.CreateAsync(new PhoneSignIn("phone-live", "cust-b", "hash-2", now.AddMinutes(-1), now.AddMinutes(4)));

        var sessions = services.GetRequiredService<IDocumentStore<RefreshFamily>>();
        await sessions.CreateAsync(new RefreshFamily("fam-expired", "cust-a", 3, "h", now.AddDays(-61), now.AddDays(-31)));
        await sessions.CreateAsync(new RefreshFamily("fam-revoked", "cust-a", 1, "h", now.AddDays(-40), now.AddDays(-10), RevokedAt: now.AddDays(-39), RevokedFor: "logout"));
        await sessions.CreateAsync(new RefreshFamily("fam-recent", "cust-a", 1, "h", now.AddDays(-35), now.AddDays(-5), RevokedAt: now.AddDays(-20), RevokedFor: "reuse"));
        await sessions.CreateAsync(new RefreshFamily("fam-live", "cust-b", 1, "h", now.AddDays(-1), now.AddDays(29)));

        var decisions = services.GetRequiredService<IDocumentStore<CreditDecision>>();
        await decisions.CreateAsync(Decision("dec-old.cust-a", "cust-a", now.AddDays(-RetentionPeriods.CreditRecordDays - 1)));
        await decisions.CreateAsync(Decision("dec-new.cust-a", "cust-a", now.AddDays(-RetentionPeriods.CreditRecordDays + 1)));

        // cust-a has only a paid-off loan; cust-b still owes on one, which keeps even their old documents.
        var loans = services.GetRequiredService<IDocumentStore<Loan>>();
        await loans.CreateAsync(new Loan("loan-1.cust-a", "cust-a", "app-1.cust-a", 1_000m, LoanStatus.PaidOff, new DateOnly(2020, 1, 10)));
        await loans.CreateAsync(new Loan("loan-2.cust-b", "cust-b", "app-2.cust-b", 1_000m, LoanStatus.Active, new DateOnly(2020, 1, 10)));
        var files = services.GetRequiredService<IDocumentStore<CustomerFile>>();
        var blobs = services.GetRequiredService<IFileBlobs>();
        DateTimeOffset sixYearsAgo = now.AddDays(-6 * 365);
        foreach ((string id, string customer, DateTimeOffset at) in new[] { ("f-old.cust-a", "cust-a", sixYearsAgo), ("f-new.cust-a", "cust-a", now.AddDays(-30)), ("f-old.cust-b", "cust-b", sixYearsAgo) })
        {
            await files.CreateAsync(new CustomerFile(id, customer, "app-1.cust-a", "id-front", FileStatus.Received, "image/png", 3, "sha", at));
            await blobs.PutUploadAsync(id, [1, 2, 3], default);
        }

        RetentionReport report = await services.GetRequiredService<RetentionRun>().RunAsync(now, default);

        Assert.Equal(new RetentionReport(BehaviourEvents: 0, Sightings: 1, SendRecords: 1, SignInCodes: 1, SignInSessions: 2, Decisions: 1, Files: 1, LocalMessages: 1, CustomersShredded: 0), report);
        Assert.Single(await velocity.SeenAsync("phone", "+8613800138000", now.AddYears(-1), default));
        Assert.Null((await sendRecords.FindAsync("send-old", default)).Record);
        Assert.NotNull((await sendRecords.FindAsync("send-new", default)).Record);
        PhoneSignIn spent = (await phones.FindAsync("phone-spent", "phone-spent"))!.Document;
        Assert.Equal(("cust-a", null, 0), (spent.Customer, spent.CodeHash, spent.WrongTries)); // the number still signs in as its customer
        Assert.Equal("hash-2", (await phones.FindAsync("phone-live", "phone-live"))!.Document.CodeHash);
        Assert.Equal(["fam-recent"], (await sessions.ListByCustomerAsync("cust-a")).Select(s => s.Document.Id));
        Assert.NotNull(await sessions.FindAsync("cust-b", "fam-live"));
        Assert.Equal(["dec-new.cust-a"], (await decisions.ListByCustomerAsync("cust-a")).Select(d => d.Document.Id));
        Assert.Equal(["f-new.cust-a"], (await files.ListByCustomerAsync("cust-a")).Select(f => f.Document.Id));
        Assert.Null(await blobs.ReadUploadAsync("f-old.cust-a", default));
        Assert.NotNull(await blobs.ReadUploadAsync("f-old.cust-b", default));
        Assert.Equal(["验证码 654321"], (await ((Adapters.Notifications.RecordedMessages)sms).LatestAsync(10, default)).Select(m => m.Text));
        Assert.Equal(2, (await loans.ListByCustomerAsync("cust-a")).Count + (await loans.ListByCustomerAsync("cust-b")).Count); // the ledger stays

        // A second run the same night finds nothing more to do.
        Assert.Equal(new RetentionReport(0, 0, 0, 0, 0, 0, 0, 0, 0), await services.GetRequiredService<RetentionRun>().RunAsync(now, default));
    }

    [Theory]
    [InlineData(AppSettings.RetentionDecisionDays, "365", "at least 1827 days")]
    [InlineData(AppSettings.RetentionFileDays, "1000", "at least 1827 days")]
    [InlineData(AppSettings.RetentionSightingDays, "7", "at least 30 days")]
    [InlineData(AppSettings.RetentionSendRecordDays, "a year", "whole number of days")]
    public void A_period_below_its_legal_or_working_floor_stops_the_host_naming_the_setting(string key, string value, string why)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        var e = Assert.Throws<ConfigurationException>(() => RetentionPeriods.FromConfiguration(configuration));
        Assert.Contains(key, e.Message);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void Unset_periods_are_the_documented_defaults()
    {
        RetentionPeriods periods = RetentionPeriods.FromConfiguration(new ConfigurationBuilder().Build());
        Assert.Equal(RetentionPeriods.Default, periods);
        Assert.Equal([90, 180, 180, 365, 1827, 1827], new[] { periods.History, periods.BehaviourEvents, periods.Sightings, periods.SendRecords, periods.Decisions, periods.Files }.Select(p => (int)p.TotalDays));
    }

    static CreditDecision Decision(string id, string customer, DateTimeOffset at) => new(
        id, customer, null, "hash", at, DateOnly.FromDateTime(at.UtcDateTime), "express", "credit-risk", "1", "default", "1",
        new Dictionary<string, string?>(), new Dictionary<string, string>(), CheckResults.Clean, null,
        new ScoreResult(0.1, 600, "B", [], "1"), new DecisionResult(CreditOutcome.Decline, "all", 0m, 0m, 0m, 0, [], [], false, false),
        new Dictionary<string, double>());
}
