using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using JisuDai.App.Files;

namespace JisuDai.Adapters.Files;

/// <summary>
/// Files' bytes in Blob storage, in private containers: <c>uploads</c> (as sent, until checked), <c>files</c> and
/// <c>thumbnails</c> (accepted), <c>quarantine</c> (refused, with the reason in the blob's metadata). Read links are
/// read-only SAS for one blob: with an account key (a connection string, as locally and on Azurite) a service SAS
/// signed with it; with a managed identity (Azure, where shared keys are off) a user-delegation SAS signed with a key the
/// identity asks for, cached until shortly before it expires.
/// </summary>
public sealed class BlobFileStore(BlobServiceClient service) : IFileBlobs
{
    readonly BlobContainerClient uploads = service.GetBlobContainerClient("uploads"), accepted = service.GetBlobContainerClient("files"),
        thumbnails = service.GetBlobContainerClient("thumbnails"), quarantine = service.GetBlobContainerClient("quarantine");
    readonly SemaphoreSlim keyLock = new(1, 1);
    volatile bool created;
    UserDelegationKey? delegationKey;

    public async Task PutUploadAsync(string fileId, byte[] bytes, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        await uploads.GetBlobClient(fileId).UploadAsync(new BinaryData(bytes), overwrite: true, cancellationToken);
    }

    public async Task<byte[]?> ReadUploadAsync(string fileId, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        try
        {
            return (await uploads.GetBlobClient(fileId).DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task AcceptAsync(string fileId, byte[] clean, string contentType, byte[]? thumbnail, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        await accepted.GetBlobClient(fileId).UploadAsync(new BinaryData(clean), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } }, cancellationToken);
        if (thumbnail is not null)
        {
            await thumbnails.GetBlobClient(fileId).UploadAsync(new BinaryData(thumbnail), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "image/png" } }, cancellationToken);
        }
    }

    public async Task QuarantineAsync(string fileId, byte[] bytes, string reason, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        // Metadata values are ASCII: the reason is kept as base64 of its UTF-8.
        await quarantine.GetBlobClient(fileId).UploadAsync(new BinaryData(bytes), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
            Metadata = new Dictionary<string, string> { ["reason"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(reason)) },
        }, cancellationToken);
    }

    public async Task DeleteUploadAsync(string fileId, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        await uploads.GetBlobClient(fileId).DeleteIfExistsAsync(cancellationToken: cancellationToken);
    }

    public async Task DeleteAllAsync(string fileId, CancellationToken cancellationToken)
    {
        foreach (BlobContainerClient container in new[] { uploads, accepted, thumbnails, quarantine })
        {
            if (await container.ExistsAsync(cancellationToken))
            {
                await container.GetBlobClient(fileId).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken);
            }
        }
    }

    public async Task<Uri> ReadLinkAsync(string fileId, bool thumbnail, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        BlobClient blob = (thumbnail ? thumbnails : accepted).GetBlobClient(fileId);
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, expiresAt)
        {
            BlobContainerName = blob.BlobContainerName, BlobName = blob.Name, Resource = "b", Protocol = blob.Uri.Scheme == "https" ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        if (blob.CanGenerateSasUri)
        {
            return blob.GenerateSasUri(sas);
        }

        UserDelegationKey key = await DelegationKeyAsync(expiresAt, cancellationToken);
        return new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key, service.AccountName) }.ToUri();
    }

    /// <summary>A user-delegation key valid past <paramref name="until"/>: one a day, asked for again once it has less than an hour beyond the link.</summary>
    async Task<UserDelegationKey> DelegationKeyAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        await keyLock.WaitAsync(cancellationToken);
        try
        {
            if (delegationKey is null || delegationKey.SignedExpiresOn < until.AddHours(1))
            {
                DateTimeOffset now = DateTimeOffset.UtcNow;
                delegationKey = (await service.GetUserDelegationKeyAsync(now.AddMinutes(-5), now.AddDays(1), cancellationToken)).Value;
            }

            return delegationKey;
        }
        finally
        {
            keyLock.Release();
        }
    }

    async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (!created)
        {
            await Task.WhenAll(new[] { uploads, accepted, thumbnails, quarantine }.Select(c => c.CreateIfNotExistsAsync(cancellationToken: cancellationToken)));
            created = true;
        }
    }
}
