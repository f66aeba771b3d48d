using JisuDai.Lending.Documents;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Files;

/// <summary>
/// Checks an uploaded file (from the file-checks queue): accepted, it is stored cleaned with its thumbnail; refused, it
/// goes to the quarantine with the reason. Either way the record says so. A check that runs again (the queue delivers at
/// least once) finds the file already checked and does nothing.
/// </summary>
public sealed class FileCheck(IDocumentStore<CustomerFile> files, IFileBlobs blobs, IFileInspector inspector, TimeProvider clock, ILogger<FileCheck> logger)
{
    /// <summary>Checks file <paramref name="fileId"/>.</summary>
    public async Task CheckAsync(string fileId, CancellationToken cancellationToken)
    {
        if (CustomerScopedId.CustomerOf(fileId) is not { } customer || await files.FindAsync(customer, fileId, cancellationToken) is not { } found)
        {
            logger.LogWarning("A check was asked for file {FileId}, which has no record; nothing to do.", fileId);
            return;
        }

        if (found.Document.Status != FileStatus.Received)
        {
            return;
        }

        byte[] bytes = await blobs.ReadUploadAsync(fileId, cancellationToken)
            ?? throw new InvalidOperationException($"File {fileId} is recorded as received but its upload is missing.");
        FileInspection inspection = inspector.Inspect(bytes);
        CustomerFile checkedFile = found.Document with
        {
            Status = inspection.Reason is null ? FileStatus.Accepted : FileStatus.Quarantined, ContentType = inspection.ContentType, Width = inspection.Width,
            Height = inspection.Height, Pages = inspection.Pages, Reason = inspection.Reason, CheckedAt = clock.GetUtcNow(),
        };
        if (inspection.Reason is { } reason)
        {
            await blobs.QuarantineAsync(fileId, bytes, reason, cancellationToken);
            logger.LogWarning("File {FileId} was quarantined: {Reason}", fileId, reason);
        }
        else
        {
            await blobs.AcceptAsync(fileId, inspection.Clean!, inspection.ContentType!, inspection.Thumbnail, cancellationToken);
        }

        // Blobs first, then the record, then the upload goes: a crash anywhere before the record runs the whole check
        // again on redelivery (writing the same blobs); one after it leaves only an upload that nobody can read.
        try
        {
            await files.ReplaceAsync(checkedFile, found.ETag, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            return; // another delivery of the same check recorded it first
        }

        await blobs.DeleteUploadAsync(fileId, cancellationToken);
    }
}
