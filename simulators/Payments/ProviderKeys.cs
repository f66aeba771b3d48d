using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace JisuDai.Simulators.Payments;

/// <summary>
/// The key material of one merchant account at the simulated provider, kept as files in one folder (made once at random,
/// readable by the owner only, reused on every start): the merchant's RSA key and certificate (the merchant keeps the
/// key and uploads the certificate, as WeChat Pay's merchant API certificate), the platform's RSA key and certificate
/// (the provider keeps the key; merchants verify its signatures with the certificate) and the API v3 key (the AES-256
/// key notifications are encrypted under, shared by both).
/// </summary>
public sealed record ProviderKeys(string Folder, string MerchantId, string AppId)
{
    public const string MerchantKeyFile = "merchant-key.pem";
    public const string MerchantCertificateFile = "merchant-cert.pem";
    public const string PlatformKeyFile = "platform-key.pem";
    public const string PlatformCertificateFile = "platform-cert.pem";
    public const string ApiV3KeyFile = "apiv3-key";

    /// <summary>The merchant number the simulator serves by default.</summary>
    public const string DefaultMerchantId = "1900000109";

    /// <summary>The app id the simulator serves by default.</summary>
    public const string DefaultAppId = "wxd930ea5d5a258f4f";

    public string MerchantKeyPem => Read(MerchantKeyFile);

    public string MerchantCertificatePem => Read(MerchantCertificateFile);

    public string PlatformKeyPem => Read(PlatformKeyFile);

    public string PlatformCertificatePem => Read(PlatformCertificateFile);

    public string ApiV3Key => Read(ApiV3KeyFile);

    /// <summary>The key set in <paramref name="folder"/>, made there first if it is not there.</summary>
    public static ProviderKeys Ensure(string folder, string merchantId = DefaultMerchantId, string appId = DefaultAppId)
    {
        if (!File.Exists(Path.Combine(folder, ApiV3KeyFile)))
        {
            // Made whole in a folder of its own and moved into place, so two hosts starting at once never mix two sets.
            string parent = Path.GetDirectoryName(Path.GetFullPath(folder))!;
            Directory.CreateDirectory(parent);
            string making = Path.Combine(parent, $".{Path.GetFileName(folder)}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(making);
            WritePair(making, MerchantKeyFile, MerchantCertificateFile, $"CN={merchantId}, O=JisuDai merchant");
            WritePair(making, PlatformKeyFile, PlatformCertificateFile, "CN=Simulated payment platform, O=JisuDai simulator");
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            WriteOwnerOnly(Path.Combine(making, ApiV3KeyFile), RandomNumberGenerator.GetString(alphabet, 32));
            try
            {
                if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
                {
                    Directory.Delete(folder); // an empty folder made for the keys: take its place
                }

                Directory.Move(making, folder);
            }
            catch (IOException) when (File.Exists(Path.Combine(folder, ApiV3KeyFile)))
            {
                Directory.Delete(making, recursive: true); // another host made the set first: use theirs
            }
        }

        return new ProviderKeys(folder, merchantId, appId);
    }

    /// <summary>A certificate's serial as WeChat Pay writes it: upper-case hex.</summary>
    public static string SerialOf(X509Certificate2 certificate) => certificate.SerialNumber.ToUpperInvariant();

    static void WritePair(string folder, string keyFile, string certificateFile, string subject)
    {
        using RSA rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        byte[] serial = RandomNumberGenerator.GetBytes(20);
        serial[0] &= 0x7F; // positive
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 certificate = request.Create(request.SubjectName, X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
            now.AddDays(-1), now.AddYears(5), serial);
        WriteOwnerOnly(Path.Combine(folder, keyFile), rsa.ExportPkcs8PrivateKeyPem());
        WriteOwnerOnly(Path.Combine(folder, certificateFile), certificate.ExportCertificatePem());
    }

    static void WriteOwnerOnly(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(new FileStream(path, options));
        writer.Write(text);
    }

    string Read(string file) => File.ReadAllText(Path.Combine(Folder, file)).Trim();
}
