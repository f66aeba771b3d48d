namespace JisuDai.App.Security;

/// <summary>
/// One owner's data key as stored: wrapped, never in clear. <paramref name="Owner"/> is a customer id, or a named
/// owner of shared data (<c>:blacklist</c>, <c>:staff</c>); <paramref name="ETag"/> guards a rewrap against a
/// concurrent one.
/// </summary>
public sealed record DataKey(string Owner, int Version, WrappedKey Wrapped, DateTimeOffset CreatedAt, DateTimeOffset? RewrappedAt = null, string? ETag = null);

/// <summary>Where the wrapped data keys live (Table storage <c>datakeys</c>).</summary>
public interface IDataKeyStore
{
    /// <summary>The owner's data key of <paramref name="version"/>, or null when it never existed or was destroyed.</summary>
    Task<DataKey?> FindAsync(string owner, int version, CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="key"/>; when the owner already has one of that version (a concurrent first seal), returns that one instead.</summary>
    Task<DataKey> AddAsync(DataKey key, CancellationToken cancellationToken);

    /// <summary>Replaces the wrapped form of a key when its ETag still matches; false when another writer got there first.</summary>
    Task<bool> ReplaceAsync(DataKey key, CancellationToken cancellationToken);

    /// <summary>Deletes every version of the owner's data key, which makes everything sealed under it unreadable; false when there was none.</summary>
    Task<bool> DestroyAsync(string owner, CancellationToken cancellationToken);

    /// <summary>Every stored data key.</summary>
    IAsyncEnumerable<DataKey> ListAsync(CancellationToken cancellationToken);
}

/// <summary>The owners of personal data that is not one customer's.</summary>
public static class DataOwners
{
    /// <summary>Blacklist entries and proposals to remove one.</summary>
    public const string Blacklist = ":blacklist";

    /// <summary>Staff members' registered ID numbers.</summary>
    public const string Staff = ":staff";
}
