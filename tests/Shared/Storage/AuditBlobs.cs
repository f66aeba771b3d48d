using System.Text;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;

namespace JisuDai.Tests;

/// <summary>
/// What someone with write access to a storage account without the audit containers' retention policy (as locally)
/// could do to the staff audit log: rewrite one of its append blobs, line by line.
/// </summary>
public static class AuditBlobs
{
    /// <summary>Replaces the lines of <c>auditlog/{blobName}</c> with what <paramref name="change"/> makes of them.</summary>
    public static async Task RewriteAsync(string connectionString, Func<List<string>, List<string>> change, string blobName = "entries-000000.log")
    {
        AppendBlobClient blob = new BlobServiceClient(connectionString).GetBlobContainerClient("auditlog").GetAppendBlobClient(blobName);
        List<string> lines = change((await blob.DownloadContentAsync()).Value.Content.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList());
        await blob.DeleteAsync();
        await blob.CreateAsync();
        if (lines.Count > 0)
        {
            using var content = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
            await blob.AppendBlockAsync(content);
        }
    }
}
