using System.Security.Cryptography;
using System.Text;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Documents;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Files;

/// <summary>A file as its owner or staff see it: the record and, once accepted, links that work for 5 minutes.</summary>
public sealed record FileView(
    string Id, string ApplicationId, string Kind, FileStatus Status, long Size, string Sha256, DateTimeOffset ReceivedAt,
    string? ContentType, int? Width, int? Height, int? Pages, string? Reason, DateTimeOffset? CheckedAt, Uri? Url, Uri? ThumbnailUrl, DateTimeOffset? LinksExpireAt);

/// <summary>
/// Borrowers' files (ID-card photos, income proofs) for their applications. An upload of at most 10 MB is stored as
/// sent, recorded as received and queued for its check (<see cref="FileCheck"/>); nobody can read it until the check
/// accepts it. The owner and staff read an accepted file through a link that works for 5 minutes; anyone else gets a 404.
/// Each upload carries an Idempotency-Key: the same key with the same bytes is the same file, with other bytes a 409.
/// </summary>
public sealed class FileDesk(
    IDocumentStore<CustomerFile> files, IDocumentStore<LoanApplication> applications, IFileBlobs blobs, IFileCheckQueue checks, TimeProvider clock, ILogger<FileDesk> logger)
{
    /// <summary>The largest upload taken.</summary>
    public const int MaxBytes = 10 * 1024 * 1024;

    /// <summary>How long a read link works.</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Uploads <paramref name="body"/> as a file of <paramref name="kind"/> for <paramref name="applicationId"/>.</summary>
    public async Task<Result<FileView>> UploadAsync(Caller caller, string applicationId, string? kind, string? idempotencyKey, string? declaredType, Stream body,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 200)
        {
            return Result<FileView>.Invalid("Idempotency-Key", "the Idempotency-Key header is required (at most 200 characters).");
        }

        if (kind is null || !FileKinds.All.Contains(kind))
        {
            return Result<FileView>.Invalid("kind", $"kind is one of {string.Join(", ", FileKinds.All)}.");
        }

        if (CustomerScopedId.CustomerOf(applicationId) != caller.Subject
            || await applications.FindAsync(caller.Subject, applicationId, cancellationToken) is null)
        {
            return Result<FileView>.NotFound($"No application {applicationId}.");
        }

        byte[]? bytes = await Streams.BoundedRead.AtMostAsync(body, MaxBytes, cancellationToken);
        if (bytes is null)
        {
            return Result<FileView>.Invalid("body", $"a file is at most {MaxBytes / (1024 * 1024)} MB.");
        }

        if (bytes.Length == 0)
        {
            return Result<FileView>.Invalid("body", "the body is the file's bytes; it was empty.");
        }

        string id = CustomerScopedId.Compose("f" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{caller.Subject}\n{idempotencyKey}")))[..19], caller.Subject);
        string sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (await files.FindAsync(caller.Subject, id, cancellationToken) is { } earlier)
        {
            return earlier.Document.Sha256 == sha && earlier.Document.ApplicationId == applicationId && earlier.Document.Kind == kind
                ? Result<FileView>.Ok(await ViewAsync(earlier.Document, cancellationToken))
                : Result<FileView>.Conflict("This Idempotency-Key was used for another file.");
        }

        // Bytes first, then the record, then the check: a crash between leaves an orphan upload, never a record without its bytes.
        await blobs.PutUploadAsync(id, bytes, cancellationToken);
        var file = new CustomerFile(id, caller.Subject, applicationId, kind, FileStatus.Received, declaredType, bytes.Length, sha, clock.GetUtcNow());
        try
        {
            await files.CreateAsync(file, cancellationToken);
        }
        catch (DocumentAlreadyExistsException)
        {
            return await UploadAsync(caller, applicationId, kind, idempotencyKey, declaredType, new MemoryStream(bytes), cancellationToken);
        }

        await checks.EnqueueAsync(id, cancellationToken);
        logger.LogInformation("File {FileId} ({Kind}, {Size} bytes) received for application {ApplicationId}.", id, kind, bytes.Length, applicationId);
        return Result<FileView>.Ok(await ViewAsync(file, cancellationToken));
    }

    /// <summary>The file <paramref name="fileId"/> for its owner or staff.</summary>
    public async Task<Result<FileView>> GetAsync(Caller caller, string fileId, CancellationToken cancellationToken)
    {
        if (CustomerScopedId.CustomerOf(fileId) is not { } customer || !caller.MaySee(customer)
            || await files.FindAsync(customer, fileId, cancellationToken) is not { } found)
        {
            return Result<FileView>.NotFound($"No file {fileId}.");
        }

        return Result<FileView>.Ok(await ViewAsync(found.Document, cancellationToken));
    }

    async Task<FileView> ViewAsync(CustomerFile f, CancellationToken cancellationToken)
    {
        DateTimeOffset? expires = f.Status == FileStatus.Accepted ? clock.GetUtcNow() + LinkLifetime : null;
        Uri? url = expires is { } e ? await blobs.ReadLinkAsync(f.Id, false, e, cancellationToken) : null;
        Uri? thumbnail = expires is { } t && f.Width is not null ? await blobs.ReadLinkAsync(f.Id, true, t, cancellationToken) : null;
        return new FileView(f.Id, f.ApplicationId, f.Kind, f.Status, f.Size, f.Sha256, f.ReceivedAt, f.ContentType, f.Width, f.Height, f.Pages, f.Reason, f.CheckedAt,
            url, thumbnail, expires);
    }
}
