using Azure.Storage.Blobs;
using JisuDai.Adapters.Storage;
using JisuDai.App.Staff;

namespace JisuDai.Adapters.Staff;

/// <summary>The lending halt in Blob storage, <c>settings/lending-halt.json</c> (absent: not halted).</summary>
public sealed class BlobLendingHalt(BlobServiceClient blobs) : BlobSetting<LendingHalt>(blobs, "lending-halt.json", LendingHalt.None), ILendingHaltStore;
