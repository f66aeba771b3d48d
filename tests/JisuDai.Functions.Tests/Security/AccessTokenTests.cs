using System.Security.Cryptography;
using JisuDai.Adapters.Security;
using JisuDai.App.Security;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JisuDai.Functions.Tests.Security;

/// <summary>What makes a bearer token an access token here: typed JWT, saying when it was issued, and short-lived.</summary>
public sealed class AccessTokenTests
{
    static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    static readonly Tokens Issuer = new("jisudai", "jisudai-staff-test", Key, staffAudience: "jisudai-staff");

    static string Sign(string? type, DateTime? issuedAt, DateTime expires, bool setDefaultTimes = false) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = setDefaultTimes }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "jisudai",
            Audience = "jisudai-staff",
            TokenType = type,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = expires,
            Claims = new Dictionary<string, object> { ["sub"] = "admin-1", ["roles"] = new[] { Roles.Admin } },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Key), SecurityAlgorithms.HmacSha256),
        });

    [Fact]
    public async Task A_well_formed_staff_token_of_a_shift_or_less_is_accepted()
    {
        DateTime now = DateTime.UtcNow;
        (Caller? caller, string? error) = await Issuer.ValidateAsync(Sign("JWT", now, now.AddHours(12)));
        Assert.True(caller is not null, error);
        Assert.True(caller.Is(Roles.Admin));
    }

    [Theory]
    [InlineData("id_token", "typ header must be JWT")]
    [InlineData("JOSE", "typ header must be JWT")]
    public async Task A_token_of_another_type_is_refused(string type, string why)
    {
        DateTime now = DateTime.UtcNow;
        Assert.Contains(why, (await Issuer.ValidateAsync(Sign(type, now, now.AddHours(1)))).Error);
    }

    [Fact]
    public async Task A_token_that_does_not_say_when_it_was_issued_or_lasts_beyond_a_shift_is_refused()
    {
        DateTime now = DateTime.UtcNow;
        Assert.Contains("(iat)", (await Issuer.ValidateAsync(Sign("JWT", issuedAt: null, now.AddHours(1)))).Error);
        Assert.Contains("at most 12", (await Issuer.ValidateAsync(Sign("JWT", now, now.AddHours(13)))).Error);
        // Backdating the issue does not buy a longer life: it is the span from issue to expiry that counts.
        Assert.Contains("at most 12", (await Issuer.ValidateAsync(Sign("JWT", now.AddDays(-30), now.AddHours(1)))).Error);
    }

    [Fact]
    public void Minting_a_token_longer_than_a_shift_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Issuer.Mint("admin-1", [Roles.Admin], DateTimeOffset.UtcNow, TimeSpan.FromHours(13)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Issuer.Mint("admin-1", [Roles.Admin], DateTimeOffset.UtcNow, TimeSpan.Zero));
    }

    [Fact]
    public async Task A_customer_token_may_last_no_longer_than_a_signed_in_session()
    {
        using ECDsa customerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var tokens = new Tokens("jisudai", "jisudai-api", Key, [customerKey]);
        Assert.Null((await tokens.ValidateAsync(tokens.Mint("c-1", DateTimeOffset.UtcNow).Token)).Error);

        DateTime now = DateTime.UtcNow;
        string hourLong = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "jisudai", Audience = "jisudai-api", IssuedAt = now, NotBefore = now, Expires = now.AddHours(1),
            Claims = new Dictionary<string, object> { ["sub"] = "c-1", ["roles"] = new[] { Roles.Applicant } },
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(customerKey) { KeyId = Tokens.KeyIdOf(customerKey) }, SecurityAlgorithms.EcdsaSha256),
        });
        Assert.Contains("at most 0.3", (await tokens.ValidateAsync(hourLong)).Error);
    }
}
