using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using JisuDai.Lending.Documents;

namespace JisuDai.App.Staff;

/// <summary>A staff power over money or risk that one person proposes and a different one approves.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StaffPower>))]
public enum StaffPower
{
    /// <summary>New terms for a loan in difficulty (target: the loan).</summary>
    Restructuring,
    /// <summary>Writing off a month's proposed loans (target: the month, yyyy-MM).</summary>
    WriteOffApproval,
    /// <summary>Publishing a rule set (target: its name; payload: the document).</summary>
    RuleSetPublication,
    /// <summary>Withdrawing the newest publication of a rule set (target: its name).</summary>
    RuleSetRollback,
    /// <summary>Removing a blacklist entry (target: its kind and masked value; payload: the value, sealed).</summary>
    BlacklistRemoval,
    /// <summary>Recording a payment that reached us outside the provider, a bank transfer (target: the loan; payload: the payment and its bank reference).</summary>
    OfflinePayment,
    /// <summary>Recording a payment the day's statement shows and our books do not (target: the day and the order; payload: the loan it pays).</summary>
    ReconciliationResolution,
    /// <summary>Making a registered model version the champion (target: the model's name; payload: the version).</summary>
    ModelPromotion,
    /// <summary>Making a model's previous champion the champion again (target: the model's name; payload: the champion it rolls back from).</summary>
    ModelRollback,
    /// <summary>Lifting the lending halt (target: "lending"; payload: the halt it lifts).</summary>
    HaltLift,
    /// <summary>A reviewer's approval beyond their bounds: more than the request or the risk limit, or below the priced rate (target: the application; payload: the terms).</summary>
    OverApproval,
    /// <summary>Replacing the daily caps on approvals and payouts (target: "daily-caps"; payload: the caps and the version they replace).</summary>
    DailyCapsChange,
    /// <summary>Publishing a version of a loan product (target: its code; payload: the product document).</summary>
    ProductPublication,
    /// <summary>Registering a staff member's resident identity, so their own accounts as a customer are recognised (target: staff-identity:{subject}; payload: the ID number, sealed).</summary>
    StaffIdentity,
    /// <summary>Exporting all a customer's data for them (target: the customer id; payload: the reason).</summary>
    CustomerDataExport,
    /// <summary>Starting, changing or ending a model's challenger (target: the model's name; payload: the version and its traffic share, or none to end it).</summary>
    ModelChallenger,
    /// <summary>Starting, changing or ending a rule set's challenger (target: the rule set's name; payload: the document and its traffic share, or none to end it).</summary>
    RuleSetChallenger,
}

/// <summary>Where a staff request stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StaffRequestStatus>))]
public enum StaffRequestStatus
{
    /// <summary>Waiting for a second person.</summary>
    Pending,
    /// <summary>Approved and carried out.</summary>
    Approved,
    /// <summary>Turned down by the checker.</summary>
    Rejected,
    /// <summary>Approved, but what it asked could no longer be done (the loan changed meanwhile); nothing changed.</summary>
    Failed,
    /// <summary>Not approved within <see cref="StaffRequest.Lifetime"/>.</summary>
    Expired,
}

/// <summary>
/// A proposal of a staff power (maker-checker): what, on what, with which terms (the payload, as JSON), by whom and
/// when; then who decided and what came of it. The approval is bound to <see cref="Digest"/>, a hash of the power,
/// target and payload, so what is approved is exactly what was proposed.
/// </summary>
public sealed record StaffRequest(
    string Id,
    string CustomerId,
    StaffPower Power,
    string Target,
    string Payload,
    string Digest,
    string ProposedBy,
    DateTimeOffset ProposedAt,
    DateTimeOffset ExpiresAt,
    StaffRequestStatus Status = StaffRequestStatus.Pending,
    string? DecidedBy = null,
    DateTimeOffset? DecidedAt = null,
    string? Outcome = null) : ICustomerDocument
{
    /// <summary>Staff requests share one partition (they belong to no customer).</summary>
    public const string Partition = "staff";

    /// <summary>How a proposal's body is written into <see cref="Payload"/> (and read back when it is approved).</summary>
    public static readonly System.Text.Json.JsonSerializerOptions PayloadJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>How long a request waits for its second person: 72 hours.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(72);

    /// <summary>The digest an approval must quote: SHA-256 of power, target and payload.</summary>
    public static string DigestOf(StaffPower power, string target, string payload) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{power}\n{target}\n{payload}")));

    /// <summary>The request's id: the same proposal by the same person is one request.</summary>
    public static string IdOf(string proposedBy, string digest) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{proposedBy}\n{digest}")))[..32];

    /// <summary>The status at <paramref name="now"/>: a pending request past its expiry is expired.</summary>
    public StaffRequestStatus StatusAt(DateTimeOffset now) => Status == StaffRequestStatus.Pending && now >= ExpiresAt ? StaffRequestStatus.Expired : Status;
}

/// <summary>What proposing a staff power answered: it was already done (<see cref="Recorded"/>), or it waits for a second person (<see cref="Request"/>).</summary>
public sealed record Proposal<T>(T? Recorded, StaffRequest? Request);
