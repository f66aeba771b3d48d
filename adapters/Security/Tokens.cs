using System.Security.Claims;
using JisuDai.App.Configuration;
using JisuDai.App.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JisuDai.Adapters.Security;

/// <summary>
/// Bearer tokens: HS256 JWTs with the issuer, audience and signing key from configuration (<c>Auth:*</c>; in Azure the
/// key is a Key Vault reference). Validates lifetime with one minute of clock skew. Also mints tokens for
/// <c>jisudai token</c> and the tests.
/// </summary>
public sealed class Tokens
{
    const string RoleClaim = "roles";
    readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };
    readonly SymmetricSecurityKey key;
    readonly TokenValidationParameters validation;

    public Tokens(string issuer, string audience, byte[] signingKey)
    {
        if (signingKey.Length < 32)
        {
            throw new ConfigurationException(AppSettings.AuthSigningKey, "must be at least 32 bytes, base64-encoded.");
        }

        Issuer = issuer;
        Audience = audience;
        key = new SymmetricSecurityKey(signingKey);
        validation = new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = audience,
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            ClockSkew = TimeSpan.FromMinutes(1),
            RequireExpirationTime = true,
            RoleClaimType = RoleClaim,
        };
    }

    public string Issuer { get; }

    public string Audience { get; }

    public static Tokens FromConfiguration(IConfiguration configuration)
    {
        string keyText = configuration[AppSettings.AuthSigningKey] is { Length: > 0 } k
            ? k
            : throw new ConfigurationException(AppSettings.AuthSigningKey, "is required: a base64 key of at least 32 bytes (the standalone host makes a development key in .data/keys).");
        byte[] signingKey;
        try
        {
            signingKey = Convert.FromBase64String(keyText);
        }
        catch (FormatException)
        {
            throw new ConfigurationException(AppSettings.AuthSigningKey, "is not base64.");
        }

        return new Tokens(
            configuration[AppSettings.AuthIssuer] is { Length: > 0 } issuer ? issuer : "jisudai",
            configuration[AppSettings.AuthAudience] is { Length: > 0 } audience ? audience : "jisudai-api",
            signingKey);
    }

    /// <summary>A token for <paramref name="subject"/> with <paramref name="roles"/>, valid for <paramref name="lifetime"/> from <paramref name="now"/>.</summary>
    public string Mint(string subject, IEnumerable<string> roles, DateTimeOffset now, TimeSpan lifetime)
    {
        var claims = new Dictionary<string, object> { ["sub"] = subject, [RoleClaim] = roles.ToArray() };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The caller a token stands for, or why it does not stand for anyone.</summary>
    public async Task<(Caller? Caller, string? Error)> ValidateAsync(string token)
    {
        TokenValidationResult result = await handler.ValidateTokenAsync(token, validation);
        if (!result.IsValid)
        {
            return (null, result.Exception switch
            {
                SecurityTokenExpiredException => "the token has expired.",
                SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "the token's signature is not valid.",
                SecurityTokenInvalidIssuerException => "the token is from another issuer.",
                SecurityTokenInvalidAudienceException => "the token is for another audience.",
                _ => "the token is not valid.",
            });
        }

        ClaimsIdentity identity = result.ClaimsIdentity;
        string? subject = identity.FindFirst("sub")?.Value;
        if (string.IsNullOrEmpty(subject))
        {
            return (null, "the token has no subject.");
        }

        return (new Caller(subject, identity.FindAll(RoleClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal)), null);
    }
}
