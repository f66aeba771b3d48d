using System.Text.Json;
using JisuDai.Adapters.Notifications.Email;
using JisuDai.Adapters.Notifications.Sms;
using JisuDai.App.Notifications;

namespace JisuDai.Functions.Tests.Notifications;

/// <summary>The Email adapter over HTTP against a local service that checks the signature and runs the send as an operation.</summary>
public sealed class AcsEmailSenderTests : IAsyncLifetime
{
    static readonly byte[] Key = Convert.FromBase64String("c2VjcmV0LWtleS1vZi10aGUtbG9jYWwtc21zLXNlcnZpY2U=");
    readonly LocalAcsEmailService service = new(Key);

    public Task InitializeAsync() => service.StartAsync();

    public async Task DisposeAsync() => await service.DisposeAsync();

    internal static AcsEmailSender Sender(Uri endpoint, byte[] key)
    {
        AcsConnection connection = AcsConnection.Parse($"endpoint={endpoint};accesskey={Convert.ToBase64String(key)}", "Sms:ConnectionString");
        return new AcsEmailSender(AcsSmsSender.CreateClient(new AcsRequestSigning(connection, TimeProvider.System), TimeProvider.System, retryBaseDelay: TimeSpan.FromMilliseconds(10)),
            connection.Endpoint, "DoNotReply@alerts.lender.example", TimeProvider.System);
    }

    static readonly EmailMessage Message = new("oncall@lender.example", "[JisuDai] On-call alert: monitoring-psi (8b72)", "[JisuDai] On-call alert: monitoring-psi (8b72). See the console.", "alert-0f1e");

    [Fact]
    public async Task A_signed_send_carries_the_message_and_waits_for_the_operation_to_succeed()
    {
        EmailSendResult result = await Sender(service.Endpoint, Key).SendAsync(Message, CancellationToken.None);

        Assert.Equal(new EmailSendResult(true, AcsSmsSender.RepeatabilityId("alert-0f1e"), null), result);
        Assert.Empty(service.Refused);
        (string operation, JsonElement sent) = Assert.Single(service.Emails);
        Assert.Equal(result.OperationId, operation);
        Assert.Equal("DoNotReply@alerts.lender.example", sent.GetProperty("senderAddress").GetString());
        Assert.Equal(Message.Subject, sent.GetProperty("content").GetProperty("subject").GetString());
        Assert.Equal(Message.Text, sent.GetProperty("content").GetProperty("plainText").GetString());
        Assert.Equal("oncall@lender.example", sent.GetProperty("recipients").GetProperty("to")[0].GetProperty("address").GetString());
    }

    [Fact]
    public async Task Sending_again_under_the_same_key_is_the_same_operation_and_one_email()
    {
        AcsEmailSender sender = Sender(service.Endpoint, Key);
        EmailSendResult first = await sender.SendAsync(Message, CancellationToken.None);
        EmailSendResult again = await sender.SendAsync(Message, CancellationToken.None);

        Assert.Equal(first, again);
        Assert.Single(service.Emails);
    }

    [Fact]
    public async Task A_dropped_email_is_a_failure_naming_the_service_reason_and_a_wrong_key_is_refused()
    {
        service.Dropping.Add("gone@lender.example");
        EmailSendResult dropped = await Sender(service.Endpoint, Key).SendAsync(Message with { To = "gone@lender.example", IdempotencyKey = "alert-dropped" }, CancellationToken.None);
        Assert.False(dropped.Accepted);
        Assert.Contains("EmailDropped", dropped.Error);

        EmailSendResult refused = await Sender(service.Endpoint, Convert.FromBase64String("d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZy1rZXk=")).SendAsync(Message with { IdempotencyKey = "alert-wrong-key" }, CancellationToken.None);
        Assert.False(refused.Accepted);
        Assert.StartsWith("HTTP 401", refused.Error);
        Assert.Contains("signature does not match", service.Refused);
        Assert.DoesNotContain(service.Emails, e => e.Message.GetProperty("recipients").GetProperty("to")[0].GetProperty("address").GetString() == "oncall@lender.example" && e.OperationId == AcsSmsSender.RepeatabilityId("alert-wrong-key"));
    }
}
