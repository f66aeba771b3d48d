using System.Text.Json;
using JisuDai.Lending.Documents;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace JisuDai.Functions.Notifications;

/// <summary>
/// Drains the notifications queue. A request that cannot be read throws, so the host retries it and, after
/// the fifth try, moves it to <c>notifications-poison</c> where nothing is lost.
/// </summary>
public sealed class NotificationFunction(RecordedMessages messages, TimeProvider clock, ILogger<NotificationFunction> logger)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Function("SendNotification")]
    public async Task Run(
        [QueueTrigger(NotificationRequest.QueueName)] string message,
        CancellationToken cancellationToken)
    {
        NotificationRequest request = Parse(message);
        bool recorded = await messages.RecordAsync(request, clock.GetUtcNow(), cancellationToken);
        logger.LogInformation(
            recorded ? "Recorded {Template} for {Recipient} ({Key})" : "Skipped {Template} for {Recipient}: {Key} was sent before",
            request.Template, PhoneMask.Mask(request.Recipient), request.IdempotencyKey);
    }

    static NotificationRequest Parse(string message)
    {
        NotificationRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<NotificationRequest>(message, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Notification request is not valid JSON at {e.Path ?? "$"}.", e);
        }

        if (request is null || !DocumentKey.IsValid(request.IdempotencyKey))
        {
            throw new InvalidDataException("Notification request needs an idempotencyKey of letters, digits, '-', '_' or '.'.");
        }

        if (string.IsNullOrWhiteSpace(request.Recipient) || string.IsNullOrWhiteSpace(request.Template))
        {
            throw new InvalidDataException($"Notification request {request.IdempotencyKey} needs a recipient and a template.");
        }

        return request;
    }
}
