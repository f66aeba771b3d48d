using JisuDai.Adapters.Security;
using JisuDai.App.Security;

namespace JisuDai.Tests;

/// <summary>The signing key the tests give the hosts they start, and tokens signed with it.</summary>
public static class TestTokens
{
    /// <summary>A fixed test key (base64 of 32 bytes); it signs nothing outside the tests.</summary>
    public const string SigningKey = "dGVzdC1vbmx5LWtleS1mb3ItamlzdWRhaS10ZXN0cy0wMQ==";

    /// <summary>A fixed test key for personal data (base64 of 32 bytes).</summary>
    public const string PersonalDataKey = "cGVyc29uYWwtZGF0YS10ZXN0LWtleS0zMi1ieXRlcyE=";

    static readonly Tokens Issuer = new("jisudai", "jisudai-api", Convert.FromBase64String(SigningKey));

    /// <summary>A token for <paramref name="subject"/> with <paramref name="roles"/>, valid for an hour.</summary>
    public static string For(string subject, params string[] roles) => Issuer.Mint(subject, roles, DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

    /// <summary>An admin's token.</summary>
    public static string Admin => For("admin-1", Roles.Admin);
}
