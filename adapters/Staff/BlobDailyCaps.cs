using Azure.Storage.Blobs;
using JisuDai.Adapters.Storage;
using JisuDai.App.Staff;

namespace JisuDai.Adapters.Staff;

/// <summary>The daily caps in Blob storage, <c>settings/daily-caps.json</c> (absent: no caps).</summary>
public sealed class BlobDailyCaps(BlobServiceClient blobs) : BlobSetting<DailyCaps>(blobs, "daily-caps.json", DailyCaps.None), IDailyCapStore;
