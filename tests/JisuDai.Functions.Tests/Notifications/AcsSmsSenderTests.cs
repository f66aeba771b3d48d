using System.Net;
using System.Text.Json;
using JisuDai.Adapters.Notifications.Sms;
using JisuDai.App.Configuration;
using JisuDai.App.Notifications;

namespace JisuDai.Functions.Tests.Notifications;

public sealed class AcsSmsSenderTests : IAsyncLifetime
{
    static readonly byte[] Key = Convert.FromBase64String("c2VjcmV0LWtleS1vZi10aGUtbG9jYWwtc21zLXNlcnZpY2U=");
    readonly LocalAcsSmsService service = new(Key);

    public Task InitializeAsync() => service.StartAsync();

    public async Task DisposeAsync() => await service.DisposeAsync();

    AcsSmsSender Sender(byte[]? key = null)
    {
        AcsConnection connection = AcsConnection.Parse($"endpoint={service.Endpoint};accesskey={Convert.ToBase64String(key ?? Key)}", "Sms:ConnectionString");
        return new AcsSmsSender(AcsSmsSender.CreateClient(new AcsRequestSigning(connection, TimeProvider.System), TimeProvider.System, retryBaseDelay: TimeSpan.FromMilliseconds(10)),
            connection.Endpoint, "+18005550100", TimeProvider.System);
    }

    static readonly SmsMessage Message = new("+8613800138000", "您的借款 10,000.00 元已放款。", "disbursed-L1");

    [Fact]
    public async Task A_signed_request_is_accepted_and_carries_the_message_exactly()
    {
        SmsSendResult result = await Sender().SendAsync(Message, CancellationToken.None);

        Assert.Equal(new SmsSendResult(true, "msg-1", null), result);
        (HttpStatusCode answer, _, JsonElement? body) = Assert.Single(service.Received);
        Assert.Equal(HttpStatusCode.Accepted, answer);
        Assert.Equal("+18005550100", body!.Value.GetProperty("from").GetString());
        Assert.Equal("您的借款 10,000.00 元已放款。", body.Value.GetProperty("message").GetString());
        JsonElement recipient = body.Value.GetProperty("smsRecipients")[0];
        Assert.Equal("+8613800138000", recipient.GetProperty("to").GetString());
        Assert.Equal(AcsSmsSender.RepeatabilityId("disbursed-L1"), recipient.GetProperty("repeatabilityRequestId").GetString());
    }

    [Fact]
    public async Task A_request_signed_with_the_wrong_key_is_refused_and_not_retried()
    {
        SmsSendResult result = await Sender(Convert.FromBase64String("d3Jvbmcta2V5")).SendAsync(Message, CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.StartsWith("HTTP 401", result.Error);
        Assert.Equal("signature does not match", Assert.Single(service.Received).Problem);
    }

    [Fact]
    public async Task Throttling_and_outages_are_retried_honouring_Retry_After_and_every_attempt_is_signed()
    {
        service.Script.Enqueue((429, "0"));
        service.Script.Enqueue((503, null));

        SmsSendResult result = await Sender().SendAsync(Message, CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Equal([HttpStatusCode.TooManyRequests, HttpStatusCode.ServiceUnavailable, HttpStatusCode.Accepted], service.Received.Select(r => r.Answer));
    }

    [Fact]
    public async Task A_lasting_outage_gives_up_after_four_attempts_with_the_reason()
    {
        for (int i = 0; i < 10; i++)
        {
            service.Script.Enqueue((500, null));
        }

        SmsSendResult result = await Sender().SendAsync(Message, CancellationToken.None);

        Assert.False(result.Accepted);
        Assert.StartsWith("HTTP 500", result.Error);
        Assert.Equal(TransientRetries.MaxAttempts, service.Received.Count);
    }

    [Fact]
    public void The_same_idempotency_key_always_gives_the_same_repeatability_id()
    {
        Assert.Equal(AcsSmsSender.RepeatabilityId("k-1"), AcsSmsSender.RepeatabilityId("k-1"));
        Assert.NotEqual(AcsSmsSender.RepeatabilityId("k-1"), AcsSmsSender.RepeatabilityId("k-2"));
        Assert.True(Guid.TryParse(AcsSmsSender.RepeatabilityId("k-1"), out _));
    }

    [Theory]
    [InlineData("accesskey=c2VjcmV0")]
    [InlineData("endpoint=https://x.communication.azure.com/;accesskey=not*base64")]
    public void A_bad_connection_string_names_the_setting_and_never_shows_the_key(string connectionString)
    {
        ConfigurationException error = Assert.Throws<ConfigurationException>(() => AcsConnection.Parse(connectionString, "Sms:ConnectionString"));

        Assert.Equal("Sms:ConnectionString", error.Setting);
        Assert.DoesNotContain("c2VjcmV0", error.Message);
        Assert.DoesNotContain("not*base64", error.Message);
    }
}
