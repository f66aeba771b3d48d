using System.Security.Cryptography;
using System.Text.Json;
using JisuDai.Adapters.Security;
using JisuDai.App.Security;
using Microsoft.IdentityModel.JsonWebTokens;

namespace JisuDai.Functions.Tests.Security;

/// <summary>Customers' ES256 access tokens: a key is rotated without downtime, and a key no longer published signs nothing that is accepted.</summary>
public sealed class CustomerTokenTests
{
    static readonly byte[] DevelopmentKey = RandomNumberGenerator.GetBytes(32);
    static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    static Tokens With(params ECDsa[] customerKeys) => new("jisudai", "jisudai-api", DevelopmentKey, customerKeys);

    static string[] Kids(Tokens tokens) =>
        JsonDocument.Parse(JsonSerializer.Serialize(tokens.Jwks())).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).ToArray();

    [Fact]
    public async Task A_rotated_key_keeps_its_tokens_good_until_it_is_dropped_and_the_new_key_signs_from_the_rotation()
    {
        using ECDsa old = ECDsa.Create(ECCurve.NamedCurves.nistP256), current = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string before = With(old).Mint("c-1", Now).Token;

        // Rotated: the new key is current, the old one previous. Both are published; the old token still signs the customer in.
        Tokens rotated = With(current, old);
        Assert.Equal([Tokens.KeyIdOf(current), Tokens.KeyIdOf(old)], Kids(rotated));
        (Caller? caller, string? error) = await rotated.ValidateAsync(before);
        Assert.True(caller is not null, error);
        Assert.Equal(("c-1", true, false), (caller.Subject, caller.Is(Roles.Applicant), caller.Is(Roles.Reviewer)));
        var after = new JsonWebToken(rotated.Mint("c-1", Now).Token);
        Assert.Equal(("ES256", Tokens.KeyIdOf(current)), (after.Alg, after.Kid));

        // Dropped: what the old key signed is refused, and so is a token from a key never published.
        Assert.Null((await With(current).ValidateAsync(before)).Caller);
        using ECDsa stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal("the token's signature is not valid.", (await rotated.ValidateAsync(With(stranger).Mint("c-1", Now).Token)).Error);
        Assert.False(With().CanMint);
    }
}
