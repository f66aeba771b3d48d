namespace JisuDai.App.Identity;

/// <summary>An access token for a customer and how long it lasts.</summary>
public sealed record AccessToken(string Token, TimeSpan Lifetime);

/// <summary>Mints customers' access tokens (signed with the published keys: <c>/api/.well-known/jwks.json</c>).</summary>
public interface ICustomerTokens
{
    /// <summary>False when no customer signing key is configured: customers cannot sign in.</summary>
    bool CanMint { get; }

    /// <summary>An applicant's access token for <paramref name="customerId"/>, from <paramref name="now"/>.</summary>
    AccessToken Mint(string customerId, DateTimeOffset now);
}
