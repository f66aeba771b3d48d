using JisuDai.App.Behaviour;
using JisuDai.App.Configuration;
using JisuDai.App.Files;
using JisuDai.App.Identity;
using JisuDai.App.Notifications;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Decisions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Privacy;

/// <summary>A store of records that are kept for a time and then deleted by age.</summary>
public interface IPurgeable
{
    /// <summary>Deletes every record from before <paramref name="before"/>; answers how many went.</summary>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken);
}

/// <summary>
/// How long each class of data is kept before the nightly retention run deletes it (docs/security.md has the table,
/// with why each period is what it is). The configurable periods have floors: velocity sightings are kept at least as
/// long as the longest window a check counts (30 days), send records longer than any message can still be retried,
/// decisions and customers' documents at least the five years the AML law and the credit reporting regulations keep
/// credit records for.
/// </summary>
/// <param name="History">Finished orchestrations' history in the task hub.</param>
/// <param name="BehaviourEvents">The app's behaviour events (the features look back 180 days).</param>
/// <param name="Sightings">Velocity and device-sharing sightings.</param>
/// <param name="SendRecords">Notification send records (masked recipient, template, status).</param>
/// <param name="Decisions">Credit decisions, from when they were made.</param>
/// <param name="Files">Customers' uploaded documents, from their upload, while no loan of theirs is open.</param>
public sealed record RetentionPeriods(TimeSpan History, TimeSpan BehaviourEvents, TimeSpan Sightings, TimeSpan SendRecords, TimeSpan Decisions, TimeSpan Files)
{
    /// <summary>A sign-in code's hash is cleared this long after the code expired unused.</summary>
    public static readonly TimeSpan SignInCodes = TimeSpan.FromDays(1);

    /// <summary>A sign-in session (refresh-token family) is deleted this long after it ended or was revoked.</summary>
    public static readonly TimeSpan SignInSessions = TimeSpan.FromDays(30);

    /// <summary>The local SMS sink's messages (they hold sign-in codes) are deleted after this.</summary>
    public static readonly TimeSpan LocalMessages = TimeSpan.FromDays(7);

    /// <summary>Five years and two days: the legal floor for credit records, with a day's margin for time zones and leap years.</summary>
    public const int CreditRecordDays = 5 * 365 + 2;

    /// <summary>The defaults, as the Bicep writes them.</summary>
    public static RetentionPeriods Default { get; } = new(
        TimeSpan.FromDays(90), TimeSpan.FromDays(180), TimeSpan.FromDays(180), TimeSpan.FromDays(365), TimeSpan.FromDays(CreditRecordDays), TimeSpan.FromDays(CreditRecordDays));

    /// <summary>The periods configured in whole days; a value below its floor, or not a number of days, stops the host at start naming the setting.</summary>
    public static RetentionPeriods FromConfiguration(IConfiguration configuration)
    {
        TimeSpan Days(string key, TimeSpan fallback, int floor, string why)
        {
            int days = Durations.WholeDays(configuration, key, (int)fallback.TotalDays);
            return days >= floor ? TimeSpan.FromDays(days) : throw new ConfigurationException(key, $"must be at least {floor} days ({why}); got {days}.");
        }

        return new RetentionPeriods(
            Days(AppSettings.HistoryRetentionDays, Default.History, 1, "finished orchestrations are read back for a day at least"),
            Days(AppSettings.BehaviourRetentionDays, Default.BehaviourEvents, 1, "a day's events at least"),
            Days(AppSettings.RetentionSightingDays, Default.Sightings, 30, "the longest window a velocity check counts"),
            Days(AppSettings.RetentionSendRecordDays, Default.SendRecords, 30, "longer than any message is retried"),
            Days(AppSettings.RetentionDecisionDays, Default.Decisions, CreditRecordDays, "credit records are kept five years"),
            Days(AppSettings.RetentionFileDays, Default.Files, CreditRecordDays, "customer identification records are kept five years"));
    }
}

/// <summary>What one retention run deleted, by data class.</summary>
public sealed record RetentionReport(
    int BehaviourEvents, int Sightings, int SendRecords, int SignInCodes, int SignInSessions, int Decisions, int Files, int LocalMessages, int CustomersShredded);

/// <summary>
/// The nightly retention run (the orchestration history aside, which the timer purges through the task hub): deletes
/// what has outlived its period (<see cref="RetentionPeriods"/>), then shreds the customers whose erasure is due.
/// Every delete is of the version read, so a record changed meanwhile waits for the next run, and every step can run
/// again after a crash. Loans, payments, debit agreements and the audit log are the ledger: they hold no personal data
/// beyond the customer id, and are never deleted here (a customer's personal data goes by erasure, <see cref="CustomerErasure"/>).
/// </summary>
public sealed class RetentionRun(
    RetentionPeriods periods, IBehaviourEvents behaviour, IVelocityStore sightings, ISendRecords sendRecords, ISmsSender sms,
    IDocumentStore<PhoneSignIn> phones, IDocumentStore<RefreshFamily> sessions, IDocumentStore<CreditDecision> decisions,
    IDocumentStore<CustomerFile> files, IFileBlobs fileBlobs, IDocumentStore<Loan> loans, CustomerErasure erasure, ILogger<RetentionRun> logger)
{
    /// <summary>Runs every class's deletion as of <paramref name="now"/>.</summary>
    public async Task<RetentionReport> RunAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var report = new RetentionReport(
            await behaviour.PurgeAsync(now - periods.BehaviourEvents, cancellationToken),
            await sightings.PurgeAsync(now - periods.Sightings, cancellationToken),
            await sendRecords.PurgeAsync(now - periods.SendRecords, cancellationToken),
            await ClearSignInCodesAsync(now - RetentionPeriods.SignInCodes, cancellationToken),
            await DeleteExpiredAsync(sessions, s => EndOf(s) < now - RetentionPeriods.SignInSessions, cancellationToken),
            await DeleteExpiredAsync(decisions, d => d.DecidedAt < now - periods.Decisions, cancellationToken),
            await DeleteFilesAsync(now - periods.Files, cancellationToken),
            sms is IPurgeable sink ? await sink.PurgeAsync(now - RetentionPeriods.LocalMessages, cancellationToken) : 0,
            await erasure.ShredDueAsync(now, cancellationToken));
        logger.LogInformation("Retention run: {Report}", report);
        return report;
    }

    async Task<int> ClearSignInCodesAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken)
    {
        int cleared = 0;
        await foreach (Versioned<PhoneSignIn> phone in phones.ScanAsync(cancellationToken))
        {
            // The number's sign-in (which customer it is, its lock and daily count) stays: only the spent code goes.
            if (phone.Document is { CodeHash: not null, CodeExpiresAt: { } expires } && expires < expiredBefore
                && await Attempt(() => phones.ReplaceAsync(phone.Document with { CodeHash = null, CodeExpiresAt = null, WrongTries = 0 }, phone.ETag, cancellationToken)))
            {
                cleared++;
            }
        }

        return cleared;
    }

    /// <summary>Deletes, each at the version read, every document of <paramref name="store"/> that <paramref name="expired"/> says has outlived its period.</summary>
    static async Task<int> DeleteExpiredAsync<T>(IDocumentStore<T> store, Func<T, bool> expired, CancellationToken cancellationToken) where T : ICustomerDocument
    {
        int deleted = 0;
        await foreach (Versioned<T> document in store.ScanAsync(cancellationToken))
        {
            if (expired(document.Document) && await Attempt(() => store.DeleteAsync(document.Document.CustomerId, document.Document.Id, document.ETag, cancellationToken)))
            {
                deleted++;
            }
        }

        return deleted;
    }

    /// <summary>When a sign-in session ended: its revocation, or its expiry.</summary>
    static DateTimeOffset EndOf(RefreshFamily session) => session.RevokedAt is { } revoked && revoked < session.ExpiresAt ? revoked : session.ExpiresAt;

    async Task<int> DeleteFilesAsync(DateTimeOffset receivedBefore, CancellationToken cancellationToken)
    {
        int deleted = 0;
        var borrowing = new Dictionary<string, bool>(StringComparer.Ordinal);
        await foreach (Versioned<CustomerFile> file in files.ScanAsync(cancellationToken))
        {
            CustomerFile f = file.Document;
            if (f.ReceivedAt >= receivedBefore)
            {
                continue;
            }

            if (!borrowing.TryGetValue(f.CustomerId, out bool open))
            {
                borrowing[f.CustomerId] = open = (await loans.ListByCustomerAsync(f.CustomerId, cancellationToken)).Any(l => !l.Document.IsClosed);
            }

            // A loan still open keeps its customer's documents; the bytes go first, so a crash between leaves a record the next run finishes.
            if (!open)
            {
                await fileBlobs.DeleteAllAsync(f.Id, cancellationToken);
                if (await Attempt(() => files.DeleteAsync(f.CustomerId, f.Id, file.ETag, cancellationToken)))
                {
                    deleted++;
                }
            }
        }

        return deleted;
    }

    /// <summary>True when the write went through; false when the record changed or went meanwhile (the next run sees it again).</summary>
    static async Task<bool> Attempt<T>(Func<Task<T>> write)
    {
        try
        {
            return await write() is not false;
        }
        catch (ConcurrencyConflictException)
        {
            return false;
        }
    }
}
