using JisuDai.App.Notifications.Templates;
using JisuDai.Lending;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Documents;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Notifications;

/// <summary>
/// Drains the notifications queue: each request is sent at most once (its send record), held through quiet
/// hours (re-queued to reappear at 08:00), skipped for opted-out recipients unless transactional, and
/// retried by the queue when the provider fails; the fifth failure leaves the message in
/// <c>notifications-poison</c> and its record says why. A recipient that is an email address is sent to by email
/// (on-call staff), under the same rules except opting out, which is a reply to a text. A number gets at most <see cref="MaxPerRecipientPerDay"/>
/// service and marketing messages a lender's day; beyond that they are skipped. Transactional messages (a payout, a
/// payment) always go.
/// </summary>
public sealed class NotificationDelivery(
    ISmsSender sms, IEmailSender email, ISendRecords records, IOptOuts optOuts, RecipientDirectory recipients, INotificationQueue queue, Staff.IDailyTally tally, Security.PersonalData personalData,
    TimeProvider clock, ILogger<NotificationDelivery> logger)
{
    public const int MaxAttempts = 5;

    /// <summary>Service and marketing messages one number is sent in a lender's day.</summary>
    public const int MaxPerRecipientPerDay = 10;

    /// <summary>How long a delivery's claim stands before another may take it over (shorter than the queue's five tries at 5 s).</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromSeconds(15);

    /// <summary>Delivers one queued message; throwing makes the queue deliver it again (up to <see cref="MaxAttempts"/> tries).</summary>
    public async Task DeliverAsync(string message, CancellationToken cancellationToken)
    {
        NotificationRequest request = NotificationRequest.Parse(message);
        // An email address is sent to as it is; anything else is a phone, given or looked up.
        string address = request.ByEmail ? request.Recipient : await recipients.PhoneOfAsync(request.Recipient, cancellationToken);
        string masked = request.ByEmail ? EmailAddress.Mask(address) : PhoneMask.Mask(address);
        DateTimeOffset now = clock.GetUtcNow();
        (SendRecord? record, string? etag) = await records.FindAsync(request.IdempotencyKey, cancellationToken);
        if (record is { Settled: true })
        {
            logger.LogInformation("Skipped {Key} for {Recipient}: already {Status}", request.IdempotencyKey, masked, record.Status);
            return;
        }

        record ??= new SendRecord(request.IdempotencyKey, SendStatus.Pending, 0, null, null, request.Template, masked, now, now, null);
        Outcome<(NotificationTemplate Template, string Text)> rendered = NotificationTemplates.Render(request.Template, request.LanguageOrDefault, request.Parameters);
        if (!rendered.Succeeded)
        {
            string why = string.Join("; ", rendered.Errors.Select(e => $"{e.Field}: {e.Message}"));
            await records.SaveAsync(record with { Status = SendStatus.Failed, LastError = why, UpdatedAt = now }, etag, cancellationToken);
            throw new InvalidDataException($"Notification {request.IdempotencyKey} cannot be rendered: {why}");
        }

        // Opting out is replying STOP to a text: it holds for SMS to that number.
        bool optedOut = !request.ByEmail && await optOuts.ContainsAsync(address, cancellationToken);
        switch (SendingRules.Decide(rendered.Value.Template.Category, optedOut, now, LenderCalendar.Zone))
        {
            case SendingDecision.Skip skip:
                await records.SaveAsync(record with { Status = SendStatus.Skipped, LastError = skip.Reason, UpdatedAt = now }, etag, cancellationToken);
                logger.LogInformation("Skipped {Key} for {Recipient}: {Reason}", request.IdempotencyKey, masked, skip.Reason);
                return;
            case SendingDecision.HoldUntil hold:
                await queue.SendAsync(message, hold.When - now, cancellationToken);
                await records.SaveAsync(record with { Status = SendStatus.Held, HeldUntil = hold.When, UpdatedAt = now }, etag, cancellationToken);
                logger.LogInformation("Held {Key} for {Recipient} until {When:u} (quiet hours)", request.IdempotencyKey, masked, hold.When);
                return;
        }

        // Counted once per message (its key is the holder), so a redelivery or a retry after a failed send counts nothing more.
        if (rendered.Value.Template.Category != MessageCategory.Transactional
            && !(await tally.TryCountAsync(LenderCalendar.DateOf(now), "sms-to-recipient", request.IdempotencyKey, 1m,
                [new Staff.TallyLimit($"recipient|{personalData.Fingerprint("sms-recipient", address)}", MaxPerRecipientPerDay)], cancellationToken)).Counted)
        {
            string why = $"{MaxPerRecipientPerDay} service and marketing messages were sent to this number today";
            await records.SaveAsync(record with { Status = SendStatus.Skipped, LastError = why, UpdatedAt = now }, etag, cancellationToken);
            logger.LogInformation("Skipped {Key} for {Recipient}: {Reason}", request.IdempotencyKey, masked, why);
            return;
        }

        // Claim the record before sending: a duplicate delivery running at the same moment fails here (409 or
        // 412) and is retried, by which time the record says Sent. A claim younger than the lease belongs to a
        // delivery still sending: a duplicate that read it between that claim and its send must not claim it
        // again, so it is retried too. A claim older than the lease is a delivery that died: it is taken over,
        // within the queue's five tries; if the dead one had reached the provider, the provider drops the repeat
        // by its repeatability id (the idempotency key).
        if (record.Status == SendStatus.Sending && now - record.UpdatedAt < ClaimLease)
        {
            throw new InvalidOperationException($"Notification {request.IdempotencyKey} is being sent by another delivery; retrying later.");
        }

        int attempt = record.Attempts + 1;
        try
        {
            etag = await records.SaveAsync(record with { Status = SendStatus.Sending, Attempts = attempt, UpdatedAt = now }, etag, cancellationToken);
        }
        catch (ConcurrencyConflictException e)
        {
            throw new InvalidOperationException($"Notification {request.IdempotencyKey} is being handled by another delivery; retrying later.", e);
        }

        (bool accepted, string? providerId, string? refused) = request.ByEmail
            ? await SendEmailAsync(address, rendered.Value.Text, request.IdempotencyKey, cancellationToken)
            : await SendSmsAsync(address, rendered.Value.Text, request.IdempotencyKey, cancellationToken);
        Telemetry.LendingTelemetry.Notified(request.ByEmail ? "email" : "sms", accepted);
        if (accepted)
        {
            await records.SaveAsync(record with { Status = SendStatus.Sent, Attempts = attempt, ProviderMessageId = providerId, LastError = null, UpdatedAt = clock.GetUtcNow() }, etag, cancellationToken);
            logger.LogInformation("Sent {Template} {Key} to {Recipient} (attempt {Attempt})", request.Template, request.IdempotencyKey, masked, attempt);
            return;
        }

        SendStatus status = attempt >= MaxAttempts ? SendStatus.Failed : SendStatus.Retrying;
        string error = attempt >= MaxAttempts ? $"gave up after {attempt} tries; moved to {NotificationRequest.QueueName}-poison: {refused}" : refused ?? "refused";
        await records.SaveAsync(record with { Status = status, Attempts = attempt, LastError = error, UpdatedAt = clock.GetUtcNow() }, etag, cancellationToken);
        throw new InvalidOperationException($"Sending {request.IdempotencyKey} to {masked} failed (try {attempt}): {refused}");
    }

    async Task<(bool, string?, string?)> SendSmsAsync(string phone, string text, string key, CancellationToken cancellationToken)
    {
        SmsSendResult sent = await sms.SendAsync(new SmsMessage(phone, text, key), cancellationToken);
        return (sent.Accepted, sent.ProviderMessageId, sent.Error);
    }

    async Task<(bool, string?, string?)> SendEmailAsync(string to, string text, string key, CancellationToken cancellationToken)
    {
        // The templates are one line written for a text message: the line is the subject as well as the body.
        string subject = text.Length <= 100 ? text : text[..99] + "…";
        EmailSendResult sent = await email.SendAsync(new EmailMessage(to, subject, text, key), cancellationToken);
        return (sent.Accepted, sent.OperationId, sent.Error);
    }
}
