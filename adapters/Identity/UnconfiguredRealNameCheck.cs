using JisuDai.App.Identity;

namespace JisuDai.Adapters.Identity;

/// <summary>Where no real-name provider is configured (RealName:SecretId and SecretKey): every check is refused as not possible now, so no one is verified unchecked.</summary>
public sealed class UnconfiguredRealNameCheck : IRealNameCheck
{
    public Task<RealNameResult> CheckAsync(RealNameClaim claim, CancellationToken cancellationToken) =>
        throw new RealNameUnavailableException("No real-name provider is configured (RealName:SecretId, RealName:SecretKey).");
}
