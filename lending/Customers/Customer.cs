using JisuDai.Lending.Documents;

namespace JisuDai.Lending.Customers;

/// <summary>
/// A borrower. The customer is its own partition, so <see cref="CustomerId"/> equals <see cref="Id"/>. Personal data
/// appears only as keyed fingerprints (for matching) and masked (for showing).
/// </summary>
/// <param name="Id">The customer id.</param>
/// <param name="RegisteredAt">When the customer was first seen.</param>
/// <param name="PhoneFingerprint">The keyed fingerprint of the number the customer signed up with (none for customers made otherwise).</param>
/// <param name="Verification">The real-name verification, once passed.</param>
/// <param name="MergedInto">Set when the person behind this customer proved to be an earlier customer's: they sign in as that one from then on.</param>
/// <param name="Erasure">Set when the customer asked for their data to be erased: processing is restricted from then on.</param>
public sealed record Customer(string Id, DateTimeOffset RegisteredAt, string? PhoneFingerprint = null, RealNameVerification? Verification = null, string? MergedInto = null,
    Erasure? Erasure = null)
    : ICustomerDocument
{
    /// <inheritdoc />
    public string CustomerId => Id;
}

/// <summary>
/// A customer's request to have their personal data erased. From <paramref name="RequestedAt"/> their data is kept but
/// no longer processed (no new applications, no marketing); at <paramref name="ShredAfter"/>, when the records the law
/// keeps for a retention period may go, their data key is destroyed, which leaves every value sealed under it
/// unreadable; <paramref name="ShreddedAt"/> records when that happened.
/// </summary>
public sealed record Erasure(DateTimeOffset RequestedAt, DateTimeOffset ShredAfter, string Basis, DateTimeOffset? ShreddedAt = null);

/// <summary>
/// A customer's passed four-element real-name checks (name, resident ID number, phone and bank card belong together,
/// as the card's bank holds them), as keyed fingerprints and masked. One person: one name and ID number; each further
/// phone and card was checked with them.
/// </summary>
/// <param name="VerifiedAt">When the latest check passed.</param>
/// <param name="Name">The name's keyed fingerprint.</param>
/// <param name="IdNumber">The resident ID number's keyed fingerprint.</param>
/// <param name="Phones">Keyed fingerprints of every phone checked with them.</param>
/// <param name="Cards">Keyed fingerprints of every bank card checked with them: payouts go only to one of these.</param>
/// <param name="Masked">The latest check's elements masked, by field (name, idNumber, phone, bankAccount), for the customer's and staff's screens.</param>
/// <param name="ProviderReference">The provider's request id for the latest check.</param>
public sealed record RealNameVerification(
    DateTimeOffset VerifiedAt, string Name, string IdNumber, IReadOnlyList<string> Phones, IReadOnlyList<string> Cards,
    IReadOnlyDictionary<string, string> Masked, string ProviderReference)
{
    /// <summary>True when <paramref name="name"/>, <paramref name="idNumber"/>, <paramref name="phone"/> and <paramref name="card"/> (fingerprints) were all checked together or with the same person.</summary>
    public bool Covers(string name, string idNumber, string phone, string card) =>
        Name == name && IdNumber == idNumber && Phones.Contains(phone) && Cards.Contains(card);

    /// <summary>This verification with a further check of the same person, with <paramref name="phone"/> and <paramref name="card"/>, passed at <paramref name="at"/>.</summary>
    public RealNameVerification With(string phone, string card, DateTimeOffset at, IReadOnlyDictionary<string, string> masked, string reference) =>
        this with
        {
            VerifiedAt = at, Phones = Phones.Contains(phone) ? Phones : [.. Phones, phone], Cards = Cards.Contains(card) ? Cards : [.. Cards, card],
            Masked = masked, ProviderReference = reference,
        };
}
