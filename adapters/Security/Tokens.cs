using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using JisuDai.App.Configuration;
using JisuDai.App.Identity;
using JisuDai.App.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace JisuDai.Adapters.Security;

/// <summary>
/// Bearer tokens, with the issuer and audience from configuration (<c>Auth:*</c>; in Azure the keys are Key Vault
/// references). Customers' access tokens from signing in are ES256, carry the key's <c>kid</c> and are signed with
/// <c>Auth:CustomerSigningKey</c>; the previous key (<c>Auth:CustomerSigningKeyPrevious</c>) is still accepted and
/// published, so a key is rotated without downtime: the new key becomes current, the old one previous, and it is
/// dropped once its last tokens (15 minutes) have run out. Development tokens (<c>jisudai token</c>, the tests) are
/// HS256 under <c>Auth:SigningKey</c>. Validates lifetime with one minute of clock skew; a token must say when it was
/// issued, may last at most <see cref="MaxLifetime"/> from then, and must be typed <c>JWT</c> (so an ID token or
/// some other signed JSON under the same key is not taken for an access token).
/// Customers and staff are on audiences of their own: <c>Auth:Audience</c> (default jisudai-api) carries only the
/// applicant role, <c>Auth:StaffAudience</c> (default jisudai-staff) only staff roles, and an ES256 token is always a
/// customer's. A token that mixes them is refused, so no one token is both a borrower and a member of staff.
/// </summary>
public sealed class Tokens : ICustomerTokens
{
    const string RoleClaim = "roles";

    /// <summary>How long a customer's access token lasts.</summary>
    public static readonly TimeSpan CustomerAccessLifetime = TimeSpan.FromMinutes(15);

    /// <summary>The longest any token may last from its issue (a staff shift): a leaked token is worth a day at most.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(12);

    /// <summary>The longest a customer's token may last: the signed-in access lifetime, with the clock skew allowed.</summary>
    static readonly TimeSpan MaxCustomerLifetime = CustomerAccessLifetime + TimeSpan.FromMinutes(1);

    readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };
    readonly SymmetricSecurityKey key;
    readonly IReadOnlyList<ECDsaSecurityKey> customerKeys;
    readonly TokenValidationParameters validation;

    public Tokens(string issuer, string audience, byte[] signingKey, IReadOnlyList<ECDsa>? customerSigningKeys = null, string staffAudience = "jisudai-staff")
    {
        if (signingKey.Length < 32)
        {
            throw new ConfigurationException(AppSettings.AuthSigningKey, "must be at least 32 bytes, base64-encoded.");
        }

        if (staffAudience == audience)
        {
            throw new ConfigurationException(AppSettings.AuthStaffAudience, "must differ from Auth:Audience: customers and staff are on audiences of their own.");
        }

        Issuer = issuer;
        Audience = audience;
        StaffAudience = staffAudience;
        key = new SymmetricSecurityKey(signingKey);
        customerKeys = (customerSigningKeys ?? []).Select(ec =>
        {
            if (ec.KeySize != 256)
            {
                throw new ConfigurationException(AppSettings.AuthCustomerSigningKey, "must be an EC P-256 key (ES256).");
            }

            return new ECDsaSecurityKey(ec) { KeyId = KeyIdOf(ec) };
        }).ToList();
        validation = new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudiences = [audience, staffAudience],
            IssuerSigningKeys = [key, .. customerKeys],
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.EcdsaSha256],
            ClockSkew = TimeSpan.FromMinutes(1),
            RequireExpirationTime = true,
            ValidTypes = ["JWT"],
            RoleClaimType = RoleClaim,
        };
    }

    public string Issuer { get; }

    public string Audience { get; }

    /// <summary>The audience of staff tokens.</summary>
    public string StaffAudience { get; }

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
            signingKey,
            new[] { AppSettings.AuthCustomerSigningKey, AppSettings.AuthCustomerSigningKeyPrevious }
                .Where(setting => configuration[setting] is { Length: > 0 })
                .Select(setting => EcKey(setting, configuration[setting]!))
                .ToList(),
            configuration[AppSettings.AuthStaffAudience] is { Length: > 0 } staff ? staff : "jisudai-staff");
    }

    static ECDsa EcKey(string setting, string text)
    {
        var ec = ECDsa.Create();
        try
        {
            if (text.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                ec.ImportFromPem(text.Replace("\\n", "\n", StringComparison.Ordinal));
            }
            else
            {
                ec.ImportPkcs8PrivateKey(Convert.FromBase64String(text.Trim()), out _);
            }

            return ec;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException or FormatException)
        {
            ec.Dispose();
            throw new ConfigurationException(setting, "is not an EC private key: PEM (-----BEGIN PRIVATE KEY-----) or PKCS#8 DER in base64.");
        }
    }

    /// <summary>A key's id: the first 16 characters of the base64url SHA-256 of its public key (SubjectPublicKeyInfo).</summary>
    public static string KeyIdOf(ECDsa ec) => Base64UrlEncoder.Encode(SHA256.HashData(ec.ExportSubjectPublicKeyInfo()))[..16];

    public bool CanMint => customerKeys.Count > 0;

    /// <summary>An applicant's ES256 access token, signed with the current customer key.</summary>
    public AccessToken Mint(string customerId, DateTimeOffset now)
    {
        ECDsaSecurityKey current = customerKeys.Count > 0 ? customerKeys[0] : throw new InvalidOperationException("No customer signing key is configured.");
        string token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = new Dictionary<string, object> { ["sub"] = customerId, [RoleClaim] = new[] { Roles.Applicant } },
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + CustomerAccessLifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(current, SecurityAlgorithms.EcdsaSha256),
        });
        return new AccessToken(token, CustomerAccessLifetime);
    }

    /// <summary>The public customer keys as a JSON Web Key Set (RFC 7517): the current key first, then the previous.</summary>
    public SigningKeySet Jwks() => new([.. customerKeys.Select(k =>
    {
        ECParameters p = k.ECDsa.ExportParameters(includePrivateParameters: false);
        return new SigningKeyEntry("EC", "P-256", "sig", "ES256", k.KeyId, Base64UrlEncoder.Encode(p.Q.X), Base64UrlEncoder.Encode(p.Q.Y));
    })]);

    /// <summary>
    /// A token for <paramref name="subject"/> with <paramref name="roles"/>, valid for <paramref name="lifetime"/> from
    /// <paramref name="now"/>: on the staff audience when the roles are staff roles, else on the customers'.
    /// </summary>
    public string Mint(string subject, IEnumerable<string> roles, DateTimeOffset now, TimeSpan lifetime)
    {
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, $"A token lasts more than nothing and at most {MaxLifetime.TotalHours:0} hours.");
        }

        string[] given = roles.ToArray();
        bool staff = given.Any(r => r != Roles.Applicant);
        if (staff && given.Contains(Roles.Applicant))
        {
            throw new ArgumentException("A token is a customer's or a member of staff's, not both: the applicant role does not go with staff roles.", nameof(roles));
        }

        var claims = new Dictionary<string, object> { ["sub"] = subject, [RoleClaim] = given };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = staff ? StaffAudience : Audience,
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
                SecurityTokenInvalidTypeException => "the token is not an access token (its typ header must be JWT).",
                _ => "the token is not valid.",
            });
        }

        var jwt = (JsonWebToken)result.SecurityToken;
        if (jwt.IssuedAt == DateTime.MinValue)
        {
            return (null, "the token does not say when it was issued (iat).");
        }

        TimeSpan lasts = jwt.ValidTo - jwt.IssuedAt;
        TimeSpan allowed = jwt.Alg == SecurityAlgorithms.EcdsaSha256 ? MaxCustomerLifetime : MaxLifetime;
        if (lasts > allowed)
        {
            return (null, $"the token lasts {lasts.TotalHours:0.#} hours from its issue; at most {allowed.TotalHours:0.#} is accepted.");
        }

        ClaimsIdentity identity = result.ClaimsIdentity;
        string? subject = identity.FindFirst("sub")?.Value;
        if (string.IsNullOrEmpty(subject))
        {
            return (null, "the token has no subject.");
        }

        HashSet<string> roles = identity.FindAll(RoleClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        bool onStaffAudience = jwt.Audiences.Contains(StaffAudience) && !jwt.Audiences.Contains(Audience);
        if (jwt.Alg == SecurityAlgorithms.EcdsaSha256 && onStaffAudience)
        {
            return (null, "a customer's signed-in token is not a staff token.");
        }

        if (onStaffAudience ? roles.Contains(Roles.Applicant) : roles.Any(r => r != Roles.Applicant))
        {
            return (null, onStaffAudience ? "a staff token cannot act as a customer." : "a customer's token cannot carry staff roles.");
        }

        return (new Caller(subject, roles), null);
    }
}

/// <summary>A JSON Web Key Set (RFC 7517) of public signing keys.</summary>
public sealed record SigningKeySet([property: JsonPropertyName("keys")] IReadOnlyList<SigningKeyEntry> Keys);

/// <summary>One public P-256 signing key as a JSON Web Key: key type, curve, use, algorithm, key id and the point's coordinates (base64url).</summary>
/// <remarks>The member names are RFC 7517's, whatever the serializer's naming policy.</remarks>
public sealed record SigningKeyEntry(
    [property: JsonPropertyName("kty")] string Kty, [property: JsonPropertyName("crv")] string Crv, [property: JsonPropertyName("use")] string Use,
    [property: JsonPropertyName("alg")] string Alg, [property: JsonPropertyName("kid")] string Kid, [property: JsonPropertyName("x")] string X, [property: JsonPropertyName("y")] string Y);
