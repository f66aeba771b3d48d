using JisuDai.Lending.Documents;

namespace JisuDai.App.Identity;

/// <summary>
/// One mobile number's sign-in state, under a keyed fingerprint of the number (the number itself is never stored
/// here): the customer it signs in as, the code last sent (as a keyed hash), and the counts its limits are kept by.
/// </summary>
/// <param name="Id">The number's fingerprint (its own partition).</param>
/// <param name="Customer">The customer the number signs in as, once it has signed in.</param>
/// <param name="CodeHash">A keyed hash of the code last sent; null once used or spent by wrong tries.</param>
/// <param name="CodeSentAt">When the last code was sent.</param>
/// <param name="CodeExpiresAt">When it stops being accepted.</param>
/// <param name="WrongTries">Wrong codes given for the last code sent.</param>
/// <param name="LockedUntil">Set when the wrong tries ran out: no code is sent or taken before then.</param>
/// <param name="Day">The lender's day <paramref name="SentOnDay"/> counts.</param>
/// <param name="SentOnDay">Codes sent to the number on <paramref name="Day"/>.</param>
public sealed record PhoneSignIn(
    string Id,
    string? Customer = null,
    string? CodeHash = null,
    DateTimeOffset? CodeSentAt = null,
    DateTimeOffset? CodeExpiresAt = null,
    int WrongTries = 0,
    DateTimeOffset? LockedUntil = null,
    DateOnly? Day = null,
    int SentOnDay = 0) : ICustomerDocument
{
    /// <inheritdoc />
    public string CustomerId => Id;
}

/// <summary>
/// A chain of refresh tokens from one sign-in: each refresh spends the token it was given and issues the next, so only
/// the newest is good. Presenting a spent one means a copy is in someone else's hands: the whole family is revoked.
/// </summary>
/// <param name="Id">The family's id.</param>
/// <param name="CustomerId">The customer it signs in (the partition).</param>
/// <param name="Generation">The number of the newest token (1 for the first).</param>
/// <param name="SecretHash">SHA-256 of the newest token's secret.</param>
/// <param name="SignedInAt">When the sign-in was.</param>
/// <param name="ExpiresAt">When the family ends: 30 days after the sign-in, refreshes or not.</param>
/// <param name="Device">The device signed in on, as the app named it.</param>
/// <param name="RevokedAt">When it was revoked (logout or reuse); null while good.</param>
/// <param name="RevokedFor">Why: "logout" or "reuse".</param>
public sealed record RefreshFamily(
    string Id,
    string CustomerId,
    int Generation,
    string SecretHash,
    DateTimeOffset SignedInAt,
    DateTimeOffset ExpiresAt,
    string? Device = null,
    DateTimeOffset? RevokedAt = null,
    string? RevokedFor = null) : ICustomerDocument;
