namespace JisuDai.App.Security;

/// <summary>What a rewrap did: data keys looked at, rewrapped under the current key version, and already under it.</summary>
public sealed record RewrapReport(string KeyId, int Examined, int Rewrapped, int AlreadyCurrent);

/// <summary>
/// After the key-encryption key is rotated, rewraps every data key still wrapped under an older version, so the older
/// version can be disabled. Data keys themselves do not change, so no sealed value is touched. Each key is replaced
/// under its ETag; one rewrapped by someone else meanwhile is read again. Safe to run again: keys already under the
/// current version are left as they are.
/// </summary>
public sealed class DataKeyRotation(IDataKeyStore keys, IKeyWrapper wrapper, TimeProvider clock)
{
    public async Task<RewrapReport> RewrapAsync(IProgress<int>? progress, CancellationToken cancellationToken)
    {
        string current = await wrapper.CurrentKeyIdAsync(cancellationToken);
        int examined = 0, rewrapped = 0, already = 0;
        await foreach (DataKey listed in keys.ListAsync(cancellationToken))
        {
            examined++;
            DataKey? key = listed;
            while (key is not null && !KeyIds.SameVersion(key.Wrapped.KeyId, current))
            {
                byte[] plain = await wrapper.UnwrapAsync(key.Wrapped, cancellationToken);
                try
                {
                    WrappedKey again = await wrapper.WrapAsync(plain, cancellationToken);
                    if (await keys.ReplaceAsync(key with { Wrapped = again, RewrappedAt = clock.GetUtcNow() }, cancellationToken))
                    {
                        rewrapped++;
                        key = null;
                    }
                    else
                    {
                        key = await keys.FindAsync(listed.Owner, listed.Version, cancellationToken);
                    }
                }
                finally
                {
                    System.Security.Cryptography.CryptographicOperations.ZeroMemory(plain);
                }
            }

            if (key is not null)
            {
                already++;
            }

            progress?.Report(examined);
        }

        return new RewrapReport(current, examined, rewrapped, already);
    }
}
