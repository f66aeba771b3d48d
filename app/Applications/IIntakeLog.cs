namespace JisuDai.App.Applications;

/// <summary>An application as the intake logged it, before storing it: whose, which, and when.</summary>
public sealed record IntakeEntry(string CustomerId, string ApplicationId, DateTimeOffset SubmittedAt);

/// <summary>
/// Every application the intake is about to store, by when. The intake sweep reads the entries old enough that their
/// approval should have started and starts any that has not: a host that stopped between storing an application and
/// starting its approval leaves it there, Submitted, for nobody else to notice.
/// </summary>
public interface IIntakeLog
{
    /// <summary>Logs an application about to be stored (logging it again is harmless).</summary>
    Task RecordAsync(IntakeEntry entry, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> entries logged before <paramref name="before"/>, oldest first.</summary>
    Task<IReadOnlyList<IntakeEntry>> ListBeforeAsync(DateTimeOffset before, int max, CancellationToken cancellationToken);

    /// <summary>Removes entries the sweep has seen through.</summary>
    Task ForgetAsync(IReadOnlyList<IntakeEntry> entries, CancellationToken cancellationToken);
}
