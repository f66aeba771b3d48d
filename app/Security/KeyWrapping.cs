namespace JisuDai.App.Security;

/// <summary>
/// A data key as the key-encryption key wrapped it: <paramref name="KeyId"/> names the key-encryption key and its
/// version (a Key Vault key identifier), <paramref name="Algorithm"/> how it was wrapped, <paramref name="Value"/> the
/// wrapped bytes. Only the holder of that key version can unwrap it.
/// </summary>
public sealed record WrappedKey(string KeyId, string Algorithm, byte[] Value);

/// <summary>
/// The key-encryption key that protects every data key (in Azure a Key Vault key; locally the Key Vault simulator's).
/// Its material never leaves the vault: data keys go there to be wrapped and come back unwrapped.
/// </summary>
public interface IKeyWrapper
{
    /// <summary>The identifier of the version new data keys are wrapped under.</summary>
    Task<string> CurrentKeyIdAsync(CancellationToken cancellationToken);

    /// <summary>Wraps <paramref name="dataKey"/> under the current version.</summary>
    Task<WrappedKey> WrapAsync(byte[] dataKey, CancellationToken cancellationToken);

    /// <summary>Unwraps a data key under the version that wrapped it.</summary>
    Task<byte[]> UnwrapAsync(WrappedKey wrapped, CancellationToken cancellationToken);
}

/// <summary>Key identifiers.</summary>
public static class KeyIds
{
    /// <summary>
    /// True when two key identifiers name the same key version (<c>/keys/{name}/{version}</c>), whatever vault address
    /// they were read through: a vault reached at another address (the local simulator's port changes on every start,
    /// a restored vault has another name) still holds the same versions.
    /// </summary>
    public static bool SameVersion(string a, string b) => string.Equals(PathOf(a), PathOf(b), StringComparison.OrdinalIgnoreCase);

    static string PathOf(string keyId) => Uri.TryCreate(keyId, UriKind.Absolute, out Uri? uri) ? uri.AbsolutePath.TrimEnd('/') : keyId;
}

/// <summary>The key-encryption key could not be reached or refused the operation; nothing was sealed or opened.</summary>
public sealed class KeyWrappingException(string message, Exception? inner = null) : Exception(message, inner);
