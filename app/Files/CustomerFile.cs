using JisuDai.Lending.Documents;

namespace JisuDai.App.Files;

/// <summary>The kinds of file a borrower uploads for an application.</summary>
public static class FileKinds
{
    /// <summary>id-card-front, id-card-back, income-proof.</summary>
    public static IReadOnlyList<string> All { get; } = ["id-card-front", "id-card-back", "income-proof"];
}

/// <summary>Where a file stands: received (waiting for its check), accepted, or quarantined with the reason.</summary>
public enum FileStatus
{
    /// <summary>Stored as sent, not yet checked; nobody can read it back.</summary>
    Received,
    /// <summary>Checked: a real image (re-encoded without its metadata, with a thumbnail) or PDF.</summary>
    Accepted,
    /// <summary>Failed its check; kept apart for staff, never served.</summary>
    Quarantined,
}

/// <summary>A file a customer uploaded for one of their applications.</summary>
/// <param name="Id">The file id: a hash of the upload's idempotency key, a dot, the customer id.</param>
/// <param name="CustomerId">The owner (the partition).</param>
/// <param name="ApplicationId">The application it belongs to.</param>
/// <param name="Kind">One of <see cref="FileKinds"/>.</param>
/// <param name="Status">Received, accepted or quarantined.</param>
/// <param name="DeclaredType">The Content-Type the upload said.</param>
/// <param name="Size">Bytes as uploaded.</param>
/// <param name="Sha256">SHA-256 of the bytes as uploaded.</param>
/// <param name="ReceivedAt">When it was uploaded.</param>
/// <param name="ContentType">What the check found it to be (image/png, image/jpeg, application/pdf).</param>
/// <param name="Width">An image's width in pixels.</param>
/// <param name="Height">An image's height in pixels.</param>
/// <param name="Pages">A PDF's page count.</param>
/// <param name="Reason">Why it was quarantined.</param>
/// <param name="CheckedAt">When the check ran.</param>
public sealed record CustomerFile(
    string Id, string CustomerId, string ApplicationId, string Kind, FileStatus Status, string? DeclaredType, long Size, string Sha256, DateTimeOffset ReceivedAt,
    string? ContentType = null, int? Width = null, int? Height = null, int? Pages = null, string? Reason = null, DateTimeOffset? CheckedAt = null) : ICustomerDocument;
