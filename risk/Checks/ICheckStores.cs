using JisuDai.Lending.Customers;
namespace JisuDai.Risk.Checks;

/// <summary>The blacklist's entries.</summary>
public interface IBlacklistStore
{
    /// <summary>Entries not expired at <paramref name="now"/>.</summary>
    Task<IReadOnlyList<BlacklistEntry>> ListActiveAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Adds an entry, or replaces the one for the same kind and value.</summary>
    Task AddAsync(BlacklistEntry entry, CancellationToken cancellationToken);

    /// <summary>Removes the entry for a kind and value; false when there was none.</summary>
    Task<bool> RemoveAsync(string kind, string value, CancellationToken cancellationToken);
}

/// <summary>One application seen from an identifier.</summary>
/// <param name="At">When.</param>
/// <param name="Customer">Which customer, for device sharing: the ID number when recorded; an opaque fingerprint of it when read back.</param>
public sealed record Sighting(DateTimeOffset At, string Customer);

/// <summary>Applications seen per identifier, for velocity and device-sharing counts.</summary>
public interface IVelocityStore
{
    /// <summary>Records that application <paramref name="applicationKey"/> came from <paramref name="value"/>; recording it again changes nothing.</summary>
    Task RecordAsync(string kind, string value, string applicationKey, Sighting sighting, CancellationToken cancellationToken);

    /// <summary>Applications seen from <paramref name="value"/> since <paramref name="since"/>.</summary>
    Task<IReadOnlyList<Sighting>> SeenAsync(string kind, string value, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Deletes every sighting from before <paramref name="before"/>; answers how many went.</summary>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
