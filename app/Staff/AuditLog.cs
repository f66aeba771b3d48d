using System.Security.Cryptography;
using System.Text;
using JisuDai.App.Security;

namespace JisuDai.App.Staff;

/// <summary>A staff action to put on the record: who, in which roles, did what, to what, with which details (no personal data), from which address.</summary>
/// <param name="Actor">The staff member's subject.</param>
/// <param name="Roles">The roles they acted in.</param>
/// <param name="Action">What they did.</param>
/// <param name="Target">To what (identifiers masked).</param>
/// <param name="Details">A short detail, no personal data.</param>
/// <param name="ClientAddress">The network address the staff member's call came from (null for actions not made over HTTP, and on entries written before addresses were recorded).</param>
public sealed record StaffAction(string Actor, IReadOnlyList<string> Roles, string Action, string Target, string Details, string? ClientAddress = null)
{
    /// <summary>The action of <paramref name="caller"/>.</summary>
    public static StaffAction By(Caller caller, string action, string target, string details = "") =>
        new(caller.Subject, caller.Roles.Order(StringComparer.Ordinal).ToList(), action, target, details, caller.Address);
}

/// <summary>
/// One entry of the staff audit log: the action, when, its place in the log, the hash of the entry before it and its
/// own hash over all of that, so changing, removing or reordering any entry breaks the chain from there on.
/// </summary>
public sealed record AuditEntry(long Sequence, DateTimeOffset At, StaffAction Action, string PreviousHash, string Hash)
{
    /// <summary>The hash before the first entry.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The hash an entry with these contents must carry.</summary>
    /// <remarks>The client address is hashed after the rest only when there is one, so entries written before it was recorded keep their hashes.</remarks>
    public static string HashOf(long sequence, DateTimeOffset at, StaffAction action, string previousHash) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n',
            sequence, at.UtcDateTime.ToString("O"), action.Actor, string.Join(',', action.Roles), action.Action, action.Target, action.Details, previousHash)
            + (action.ClientAddress is { } address ? $"\n{address}" : ""))));

    /// <summary>The entry after <paramref name="previous"/> (or the first) recording <paramref name="action"/> at <paramref name="at"/>.</summary>
    public static AuditEntry After(AuditHead? previous, DateTimeOffset at, StaffAction action)
    {
        long sequence = (previous?.Sequence ?? 0) + 1;
        string previousHash = previous?.Hash ?? Genesis;
        return new AuditEntry(sequence, at, action, previousHash, HashOf(sequence, at, action, previousHash));
    }
}

/// <summary>The log's last entry, kept apart from the entries (a second store), so a cut tail is found.</summary>
public sealed record AuditHead(long Sequence, string Hash);

/// <summary>The head as it stood on a day, written once to a store of its own that nothing rewrites, so a log rebuilt or cut since is found.</summary>
public sealed record AuditAnchor(DateOnly Day, long Sequence, string Hash, DateTimeOffset At);

/// <summary>What checking the log found: intact, or the first entry where it is not and why.</summary>
public sealed record AuditVerification(bool Intact, long Entries, long? BrokenAt, string? Problem);

/// <summary>The staff audit log: append-only, hash-chained, with its head kept in a second store.</summary>
public interface IAuditLog
{
    /// <summary>Appends <paramref name="action"/> as the next entry (entries from many writers at once stay one chain).</summary>
    Task<AuditEntry> AppendAsync(StaffAction action, CancellationToken cancellationToken);

    /// <summary>Every entry, in order.</summary>
    IAsyncEnumerable<AuditEntry> ReadAsync(CancellationToken cancellationToken);

    /// <summary>The head as last recorded, or null before the first entry.</summary>
    Task<AuditHead?> HeadAsync(CancellationToken cancellationToken);

    /// <summary>Anchors the head as it stands now as <paramref name="day"/>'s (once: a day already anchored keeps its anchor); null before the first entry.</summary>
    Task<AuditAnchor?> AnchorAsync(DateOnly day, CancellationToken cancellationToken);

    /// <summary>Every anchor, oldest first.</summary>
    Task<IReadOnlyList<AuditAnchor>> AnchorsAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Checks an audit log: every entry in sequence, each hash right, each linked to the one before, the recorded head
/// and every daily anchor one of its entries.
/// </summary>
public static class AuditChain
{
    public static async Task<AuditVerification> VerifyAsync(IAuditLog log, CancellationToken cancellationToken) =>
        await VerifyAsync(log, await log.AnchorsAsync(cancellationToken), cancellationToken);

    /// <summary>Checks <paramref name="log"/> against <paramref name="anchors"/>, its anchors as already read.</summary>
    public static async Task<AuditVerification> VerifyAsync(IAuditLog log, IReadOnlyList<AuditAnchor> anchors, CancellationToken cancellationToken)
    {
        AuditHead? head = await log.HeadAsync(cancellationToken);
        var anchored = anchors.ToLookup(a => a.Sequence);
        long expected = 1;
        string previous = AuditEntry.Genesis;
        await foreach (AuditEntry entry in log.ReadAsync(cancellationToken))
        {
            string? problem = entry.Sequence != expected ? $"entry {expected} is missing (found {entry.Sequence} next)"
                : entry.PreviousHash != previous ? "it does not follow the entry before it"
                : entry.Hash != AuditEntry.HashOf(entry.Sequence, entry.At, entry.Action, entry.PreviousHash) ? "its contents do not match its hash"
                : null;
            if (problem is not null)
            {
                return new AuditVerification(false, expected - 1, expected, problem);
            }

            if (head is not null && entry.Sequence == head.Sequence && entry.Hash != head.Hash)
            {
                return new AuditVerification(false, expected - 1, expected, "it is not the entry the head recorded");
            }

            if (anchored[entry.Sequence].FirstOrDefault(a => a.Hash != entry.Hash) is { } anchor)
            {
                return new AuditVerification(false, expected - 1, expected, $"it is not the entry the anchor of {anchor.Day:yyyy-MM-dd} recorded");
            }

            previous = entry.Hash;
            expected++;
        }

        long entries = expected - 1;
        AuditAnchor? furthest = anchors.MaxBy(a => a.Sequence);
        return head is not null && entries < head.Sequence
            ? new AuditVerification(false, entries, entries + 1, $"the head records {head.Sequence} entries: the log's tail was cut")
            : furthest is not null && entries < furthest.Sequence
            ? new AuditVerification(false, entries, entries + 1, $"the anchor of {furthest.Day:yyyy-MM-dd} records {furthest.Sequence} entries: the log's tail was cut")
            : new AuditVerification(true, entries, null, null);
    }
}
