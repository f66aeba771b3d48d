using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using JisuDai.Adapters.Payments.WeChatPay;
using JisuDai.App.Payments;
using JisuDai.Simulators.Payments;
using JisuDai.Tests;
using Microsoft.Extensions.Time.Testing;

namespace JisuDai.Functions.Tests.Payments;

/// <summary>
/// Both sides of the payment protocol pinned to fixtures made with independent tools (Payments/Fixtures/make-fixtures.sh:
/// openssl for keys and RSA signatures, Python's cryptography for AEAD_AES_256_GCM): the adapter verifies the
/// platform's signature and opens its resource as WeChat Pay API v3 defines them, and the simulator checks the
/// merchant's request signature the same way, so neither can drift from the protocol along with the other.
/// </summary>
public sealed class ProviderProtocolTests
{
    static readonly string Fixtures = Repository.Path("tests", "JisuDai.Functions.Tests", "Payments", "Fixtures");
    static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    static string Fixture(string name) => File.ReadAllText(Path.Combine(Fixtures, name)).Trim();

    static string PlatformSerial()
    {
        using X509Certificate2 certificate = X509Certificate2.CreateFromPem(Fixture("platform-cert.pem"));
        return certificate.SerialNumber;
    }

    static MerchantAccount Account() => new(new Uri("http://127.0.0.1:9"), "1900000109", "wxd930ea5d5a258f4f", Fixture("merchant-key.pem"), Fixture("merchant-serial"),
        Fixture("platform-cert.pem"), Fixture("apiv3-key"), "http://127.0.0.1:9/n");

    static Dictionary<string, string> NotificationHeaders(string? signature = null, string timestamp = "1700000000") => new()
    {
        ["Wechatpay-Serial"] = PlatformSerial(), ["Wechatpay-Timestamp"] = timestamp, ["Wechatpay-Nonce"] = "fixturenonce2",
        ["Wechatpay-Signature"] = signature ?? Fixture("notification-signature"),
    };

    [Fact]
    public void The_adapter_verifies_a_platform_signature_made_by_openssl_and_refuses_it_over_a_changed_body_or_another_serial()
    {
        using MerchantAccount account = Account();
        string body = Fixture("notification-body.json");
        Assert.True(account.IsPlatformSigned(PlatformSerial(), "1700000000", "fixturenonce2", Fixture("notification-signature"), body));
        Assert.False(account.IsPlatformSigned(PlatformSerial(), "1700000000", "fixturenonce2", Fixture("notification-signature"), body.Replace("TRANSACTION.SUCCESS", "TRANSACTION.REFUND")));
        Assert.False(account.IsPlatformSigned(PlatformSerial(), "1700000001", "fixturenonce2", Fixture("notification-signature"), body));
        Assert.False(account.IsPlatformSigned("0123456789ABCDEF", "1700000000", "fixturenonce2", Fixture("notification-signature"), body));
    }

    [Fact]
    public void The_adapter_opens_a_resource_sealed_by_pythons_cryptography_and_refuses_other_associated_data()
    {
        using MerchantAccount account = Account();
        Assert.Equal(Fixture("resource-plain.json"), account.OpenResource(Fixture("resource-ciphertext"), "fixturenonce", "transaction"));
        Assert.Null(account.OpenResource(Fixture("resource-ciphertext"), "fixturenonce", "mch_payment"));
        Assert.Null(account.OpenResource(Fixture("resource-ciphertext"), "fixturenonceX", "transaction"));
    }

    [Fact]
    public void A_notification_made_by_the_fixtures_opens_into_the_payment_report_and_is_refused_once_five_minutes_old()
    {
        using MerchantAccount account = Account();
        var clock = new FakeTimeProvider(SignedAt.AddMinutes(4));
        var provider = new WeChatPayProvider(new HttpClient(), account, clock);

        OpenedNotice opened = provider.Open(NotificationHeaders(), Fixture("notification-body.json"));
        CollectionStatus paid = Assert.IsType<CollectionStatus>(opened.Notice?.Collection);
        Assert.Equal(("fixture-notice-1", "pmtfixture0001", "cust-1", "4200000000000000000000000001", ProviderState.Succeeded, 1.00m),
            (opened.Notice!.Id, paid.OrderNo, paid.CustomerId, paid.TransactionId, paid.State, paid.Amount));
        Assert.Equal(SignedAt, paid.PaidAt);

        foreach (TimeSpan off in new[] { TimeSpan.FromMinutes(-6), TimeSpan.FromMinutes(6) })
        {
            var late = new WeChatPayProvider(new HttpClient(), account, new FakeTimeProvider(SignedAt + off));
            Assert.Equal(NoticeRefusal.Unauthenticated, late.Open(NotificationHeaders(), Fixture("notification-body.json")).Refusal);
        }

        Assert.Equal(NoticeRefusal.Unauthenticated, provider.Open(NotificationHeaders(signature: Fixture("request-signature")), Fixture("notification-body.json")).Refusal);
    }

    [Fact]
    public void The_adapters_request_signature_verifies_with_the_merchant_certificate_as_the_protocol_defines_it()
    {
        using MerchantAccount account = Account();
        const string body = """{"a":1}""";
        string header = account.Authorize("POST", "/v3/pay/transactions/app", body, SignedAt);
        Dictionary<string, string> fields = header["WECHATPAY2-SHA256-RSA2048 ".Length..].Split(',')
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1].Trim('"'));
        Assert.Equal(("1900000109", "1700000000", Fixture("merchant-serial")), (fields["mchid"], fields["timestamp"], fields["serial_no"]));
        using X509Certificate2 merchant = X509Certificate2.CreateFromPem(Fixture("merchant-cert.pem"));
        using RSA key = merchant.GetRSAPublicKey()!;
        byte[] message = Encoding.UTF8.GetBytes($"POST\n/v3/pay/transactions/app\n1700000000\n{fields["nonce_str"]}\n{body}\n");
        Assert.True(key.VerifyData(message, Convert.FromBase64String(fields["signature"]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void The_simulator_accepts_a_merchant_request_signed_by_openssl_and_refuses_a_changed_body_a_stale_time_or_another_merchant()
    {
        using var crypto = new PlatformCrypto(new ProviderKeys(Fixtures, ProviderKeys.DefaultMerchantId, ProviderKeys.DefaultAppId));
        string body = Fixture("request-body.json");
        string Header(string mchid = "1900000109") =>
            $"WECHATPAY2-SHA256-RSA2048 mchid=\"{mchid}\",nonce_str=\"fixturenonce1\",signature=\"{Fixture("request-signature")}\",timestamp=\"1700000000\",serial_no=\"{Fixture("merchant-serial")}\"";

        Assert.Null(crypto.CheckAuthorization(Header(), "POST", "/v3/pay/transactions/app", body, SignedAt));
        Assert.NotNull(crypto.CheckAuthorization(Header(), "POST", "/v3/pay/transactions/app", body.Replace("100", "1"), SignedAt));
        Assert.NotNull(crypto.CheckAuthorization(Header(), "POST", "/v3/pay/transactions/app", body, SignedAt.AddSeconds(301)));
        Assert.NotNull(crypto.CheckAuthorization(Header("1900000999"), "POST", "/v3/pay/transactions/app", body, SignedAt));
        Assert.NotNull(crypto.CheckAuthorization(Header(), "GET", "/v3/pay/transactions/app", body, SignedAt));
    }

    [Fact]
    public void The_simulators_notification_signature_and_sealed_resource_open_with_the_platform_certificate_and_the_api_v3_key()
    {
        using var crypto = new PlatformCrypto(new ProviderKeys(Fixtures, ProviderKeys.DefaultMerchantId, ProviderKeys.DefaultAppId));
        const string body = """{"id":"n-1"}""";
        IReadOnlyDictionary<string, string> headers = crypto.Sign(body, SignedAt);
        Assert.Equal(("1700000000", PlatformSerial()), (headers["Wechatpay-Timestamp"], headers["Wechatpay-Serial"]));
        using X509Certificate2 platform = X509Certificate2.CreateFromPem(Fixture("platform-cert.pem"));
        using RSA key = platform.GetRSAPublicKey()!;
        Assert.True(key.VerifyData(Encoding.UTF8.GetBytes($"1700000000\n{headers["Wechatpay-Nonce"]}\n{body}\n"), Convert.FromBase64String(headers["Wechatpay-Signature"]),
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        EncryptedResource sealedResource = crypto.Encrypt("""{"trade_state":"SUCCESS"}""", "transaction", "transaction");
        byte[] all = Convert.FromBase64String(sealedResource.Ciphertext);
        byte[] plain = new byte[all.Length - 16];
        using var gcm = new AesGcm(Encoding.ASCII.GetBytes(Fixture("apiv3-key")), 16);
        gcm.Decrypt(Encoding.ASCII.GetBytes(sealedResource.Nonce), all.AsSpan(0, plain.Length), all.AsSpan(plain.Length), plain, "transaction"u8);
        Assert.Equal("SUCCESS", JsonNode.Parse(plain)!["trade_state"]!.GetValue<string>());
    }
}
