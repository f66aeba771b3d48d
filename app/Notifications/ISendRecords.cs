namespace JisuDai.App.Notifications;

/// <summary>Where a notification stands.</summary>
public enum SendStatus { Pending, Held, Sending, Sent, Skipped, Retrying, Failed }

/// <summary>The record of one notification, by idempotency key: status, attempts, provider id, timestamps, last error.</summary>
public sealed record SendRecord(
    string IdempotencyKey, SendStatus Status, int Attempts, string? ProviderMessageId, string? LastError,
    string Template, string RecipientMasked, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? HeldUntil)
{
    /// <summary>A message already sent or deliberately skipped is never sent again.</summary>
    public bool Settled => Status is SendStatus.Sent or SendStatus.Skipped;
}

/// <summary>Send records by idempotency key, each changed only under its version.</summary>
public interface ISendRecords
{
    /// <summary>The record and its version, or (null, null).</summary>
    Task<(SendRecord? Record, string? ETag)> FindAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the record: creates it when <paramref name="etag"/> is null, else replaces only that version; another
    /// writer's create or change in between is a <see cref="Lending.Documents.ConcurrencyConflictException"/>. Returns the new version.
    /// </summary>
    Task<string> SaveAsync(SendRecord record, string? etag, CancellationToken cancellationToken);

    /// <summary>Deletes every record last changed before <paramref name="before"/>; answers how many went.</summary>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
