using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JisuDai.App.Configuration;
using Microsoft.Extensions.Configuration;

namespace JisuDai.App.Security;

/// <summary>
/// Personal data at rest, by envelope encryption. Each owner (a customer, or a named owner of shared data) has a data
/// key of its own (AES-256-GCM), kept only wrapped by the key-encryption key (a Key Vault key in Azure, the Key Vault
/// simulator's locally), so rotating that key rewraps data keys and never touches the data, and destroying one owner's
/// data key makes all of that owner's sealed values unreadable at once (crypto-shredding). A sealed value names its
/// owner and data-key version and is bound to the record it belongs to, so it cannot be moved to another record.
/// Lookups (is this ID number a known customer?) use a keyed HMAC, never the plain value.
/// </summary>
/// <remarks>
/// Unwrapped data keys are kept in memory for <see cref="KeyCacheFor"/>: a destroyed key stops opening in this instance
/// at once and in others within that time. Values sealed before envelope encryption (<c>v1.</c>) open under the
/// <c>Security:PersonalDataKey</c> they were sealed with until <c>jisudai keys migrate</c> reseals them.
/// </remarks>
public sealed class PersonalData
{
    /// <summary>How long an unwrapped data key stays in memory.</summary>
    public static readonly TimeSpan KeyCacheFor = TimeSpan.FromMinutes(10);

    const string LegacyPrefix = "v1.";
    const string Prefix = "v2.";
    const int CurrentVersion = 1;
    const int CacheLimit = 50_000;

    readonly byte[] legacySealKey;
    readonly byte[] lookupKey;
    readonly IDataKeyStore keys;
    readonly IKeyWrapper wrapper;
    readonly TimeProvider clock;
    readonly ConcurrentDictionary<(string Owner, int Version), (byte[] Key, DateTimeOffset Until)> open = new();

    /// <param name="rootKey">The 32-byte secret lookups are keyed with (and <c>v1.</c> values were sealed with).</param>
    /// <param name="keys">Where the owners' wrapped data keys are kept.</param>
    /// <param name="wrapper">The key-encryption key.</param>
    /// <param name="clock">Ages the in-memory data keys.</param>
    public PersonalData(byte[] rootKey, IDataKeyStore keys, IKeyWrapper wrapper, TimeProvider clock)
    {
        if (rootKey.Length != 32)
        {
            throw new ConfigurationException(AppSettings.PersonalDataKey, "must be 32 bytes, base64-encoded.");
        }

        legacySealKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, rootKey, 32, info: "jisudai personal data seal"u8.ToArray());
        lookupKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, rootKey, 32, info: "jisudai personal data lookup"u8.ToArray());
        (this.keys, this.wrapper, this.clock) = (keys, wrapper, clock);
    }

    public static PersonalData FromConfiguration(IConfiguration configuration, IDataKeyStore keys, IKeyWrapper wrapper, TimeProvider clock)
    {
        string text = configuration[AppSettings.PersonalDataKey] is { Length: > 0 } k
            ? k
            : throw new ConfigurationException(AppSettings.PersonalDataKey, "is required: a base64 key of 32 bytes (the standalone host makes a development key in .data/keys).");
        try
        {
            return new PersonalData(Convert.FromBase64String(text), keys, wrapper, clock);
        }
        catch (FormatException)
        {
            throw new ConfigurationException(AppSettings.PersonalDataKey, "is not base64.");
        }
    }

    /// <summary>Seals <paramref name="value"/> (as JSON) under <paramref name="owner"/>'s data key, for the record <paramref name="recordId"/>.</summary>
    public async Task<string> SealAsync<T>(T value, string owner, string recordId, CancellationToken cancellationToken)
    {
        byte[] key = await DataKeyAsync(owner, CurrentVersion, create: true, cancellationToken);
        string header = $"{Prefix}{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(owner))}.{CurrentVersion}";
        byte[] plain = JsonSerializer.SerializeToUtf8Bytes(value);
        byte[] nonce = RandomNumberGenerator.GetBytes(12);
        byte[] cipher = new byte[plain.Length];
        byte[] tag = new byte[16];
        using (var aes = new AesGcm(key, 16))
        {
            aes.Encrypt(nonce, plain, cipher, tag, AssociatedData(header, recordId));
        }

        CryptographicOperations.ZeroMemory(plain);
        return $"{header}.{Convert.ToBase64String([.. nonce, .. cipher, .. tag])}";
    }

    /// <summary>
    /// Opens a value sealed for <paramref name="recordId"/>. Throws <see cref="CryptographicException"/> when it was
    /// changed or belongs elsewhere, <see cref="PersonalDataErasedException"/> when its owner's data key was destroyed.
    /// </summary>
    public async Task<T> OpenAsync<T>(string sealedValue, string recordId, CancellationToken cancellationToken)
    {
        byte[] all;
        byte[] key;
        byte[] associated;
        if (sealedValue.StartsWith(LegacyPrefix, StringComparison.Ordinal))
        {
            (key, all, associated) = (legacySealKey, FromBase64(sealedValue[LegacyPrefix.Length..]), Encoding.UTF8.GetBytes(recordId));
        }
        else
        {
            (string owner, int version, string header, string payload) = Parse(sealedValue);
            key = await DataKeyAsync(owner, version, create: false, cancellationToken);
            (all, associated) = (FromBase64(payload), AssociatedData(header, recordId));
        }

        if (all.Length < 28)
        {
            throw new CryptographicException("Not a sealed value.");
        }

        byte[] plain = new byte[all.Length - 28];
        using (var aes = new AesGcm(key, 16))
        {
            aes.Decrypt(all.AsSpan(0, 12), all.AsSpan(12, plain.Length), all.AsSpan(12 + plain.Length, 16), plain, associated);
        }

        try
        {
            return JsonSerializer.Deserialize<T>(plain)!;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>The owner a sealed value belongs to, or null for one sealed before envelope encryption.</summary>
    public static string? OwnerOf(string sealedValue) =>
        sealedValue.StartsWith(LegacyPrefix, StringComparison.Ordinal) ? null : Parse(sealedValue).Owner;

    /// <summary>True when the value was sealed before envelope encryption and should be resealed.</summary>
    public static bool IsLegacy(string sealedValue) => sealedValue.StartsWith(LegacyPrefix, StringComparison.Ordinal);

    /// <summary>Destroys <paramref name="owner"/>'s data key: everything sealed under it becomes unreadable. False when it had none.</summary>
    public async Task<bool> ShredAsync(string owner, CancellationToken cancellationToken)
    {
        bool destroyed = await keys.DestroyAsync(owner, cancellationToken);
        foreach ((string Owner, int Version) cached in open.Keys.Where(k => k.Owner == owner).ToList())
        {
            if (open.TryRemove(cached, out var entry))
            {
                CryptographicOperations.ZeroMemory(entry.Key);
            }
        }

        return destroyed;
    }

    /// <summary>A stable, keyed fingerprint of an identifier, for lookups without storing it.</summary>
    public string Fingerprint(string kind, string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(lookupKey, Encoding.UTF8.GetBytes($"{kind}:{value.Trim().ToUpperInvariant()}")))[..40];

    /// <summary>A keyed digest of bytes that may hold personal data (a request as sent), for recognising it again without a guessable hash.</summary>
    public string Digest(string kind, ReadOnlySpan<byte> bytes)
    {
        byte[] label = Encoding.UTF8.GetBytes(kind + "\n");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, lookupKey);
        hmac.AppendData(label);
        hmac.AppendData(bytes);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    async Task<byte[]> DataKeyAsync(string owner, int version, bool create, CancellationToken cancellationToken)
    {
        DateTimeOffset now = clock.GetUtcNow();
        if (open.TryGetValue((owner, version), out var cached) && cached.Until > now)
        {
            return cached.Key;
        }

        DataKey? stored = await keys.FindAsync(owner, version, cancellationToken);
        if (stored is null && create)
        {
            byte[] fresh = RandomNumberGenerator.GetBytes(32);
            stored = await keys.AddAsync(new DataKey(owner, version, await wrapper.WrapAsync(fresh, cancellationToken), now), cancellationToken);
            CryptographicOperations.ZeroMemory(fresh);
        }

        if (stored is null)
        {
            throw new PersonalDataErasedException(owner);
        }

        byte[] key = await wrapper.UnwrapAsync(stored.Wrapped, cancellationToken);
        if (open.Count >= CacheLimit)
        {
            foreach (var expired in open.Where(e => e.Value.Until <= now).Select(e => e.Key).ToList())
            {
                open.TryRemove(expired, out _);
            }
        }

        open[(owner, version)] = (key, now + KeyCacheFor);
        return key;
    }

    static (string Owner, int Version, string Header, string Payload) Parse(string sealedValue)
    {
        string[] parts = sealedValue.Split('.');
        if (parts is not [ "v2", { Length: > 0 } owner, { Length: > 0 } version, { Length: > 0 } payload ] || !int.TryParse(version, out int v) || v < 1)
        {
            throw new CryptographicException("Not a sealed value.");
        }

        try
        {
            return (Encoding.UTF8.GetString(Base64Url.DecodeFromChars(owner)), v, $"{parts[0]}.{owner}.{version}", payload);
        }
        catch (FormatException)
        {
            throw new CryptographicException("Not a sealed value.");
        }
    }

    static byte[] FromBase64(string text)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new CryptographicException("Not a sealed value.");
        }
    }

    static byte[] AssociatedData(string header, string recordId) => Encoding.UTF8.GetBytes($"{header}\n{recordId}");

}

/// <summary>The value's owner had their data erased: the data key it was sealed under no longer exists.</summary>
public sealed class PersonalDataErasedException(string owner) : Exception($"The personal data of {owner} was erased.")
{
    /// <summary>Whose data it was.</summary>
    public string Owner { get; } = owner;
}
