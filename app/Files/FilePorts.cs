namespace JisuDai.App.Files;

/// <summary>What a file's check found.</summary>
/// <param name="ContentType">image/png, image/jpeg or application/pdf, when accepted.</param>
/// <param name="Clean">What may be served: an image re-encoded without its metadata, or the PDF as sent.</param>
/// <param name="Thumbnail">A PNG at most 256 pixels on its longer side, for images.</param>
/// <param name="Width">An image's width.</param>
/// <param name="Height">An image's height.</param>
/// <param name="Pages">A PDF's page count.</param>
/// <param name="Reason">Why it is refused; null when accepted.</param>
public sealed record FileInspection(string? ContentType, byte[]? Clean, byte[]? Thumbnail, int? Width, int? Height, int? Pages, string? Reason)
{
    /// <summary>Refused for <paramref name="reason"/>.</summary>
    public static FileInspection Refused(string reason) => new(null, null, null, null, null, null, reason);
}

/// <summary>Looks inside an uploaded file: its type by its bytes, and whether it decodes as that type.</summary>
public interface IFileInspector
{
    /// <summary>Inspects <paramref name="bytes"/>.</summary>
    FileInspection Inspect(byte[] bytes);
}

/// <summary>Where files' bytes live: uploads waiting for their check, accepted files with thumbnails, and the quarantine.</summary>
public interface IFileBlobs
{
    /// <summary>Stores an upload as sent, unreadable by anyone until checked.</summary>
    Task PutUploadAsync(string fileId, byte[] bytes, CancellationToken cancellationToken);

    /// <summary>An upload's bytes, or null when it is no longer there (checked already).</summary>
    Task<byte[]?> ReadUploadAsync(string fileId, CancellationToken cancellationToken);

    /// <summary>Stores an accepted file and its thumbnail (writing them again is harmless).</summary>
    Task AcceptAsync(string fileId, byte[] clean, string contentType, byte[]? thumbnail, CancellationToken cancellationToken);

    /// <summary>Copies an upload to the quarantine with the reason.</summary>
    Task QuarantineAsync(string fileId, byte[] bytes, string reason, CancellationToken cancellationToken);

    /// <summary>Removes an upload once its check is recorded.</summary>
    Task DeleteUploadAsync(string fileId, CancellationToken cancellationToken);

    /// <summary>Deletes every copy of a file: upload, accepted file, thumbnail and quarantine (an erasure).</summary>
    Task DeleteAllAsync(string fileId, CancellationToken cancellationToken);

    /// <summary>A read-only link to an accepted file (or its thumbnail) that stops working at <paramref name="expiresAt"/>.</summary>
    Task<Uri> ReadLinkAsync(string fileId, bool thumbnail, DateTimeOffset expiresAt, CancellationToken cancellationToken);
}

/// <summary>The queue of uploads waiting for their check.</summary>
public interface IFileCheckQueue
{
    /// <summary>The queue's name, which the queue-triggered function drains.</summary>
    public const string QueueName = "file-checks";

    /// <summary>Asks for <paramref name="fileId"/> to be checked.</summary>
    Task EnqueueAsync(string fileId, CancellationToken cancellationToken);
}
