using JisuDai.App.Notifications;
using JisuDai.Lending;
namespace JisuDai.App.Applications;

/// <summary>Queues an applicant's notice, keyed by application and template so it is sent once; the recipient is a reference the sender resolves, so no phone number sits in the queue.</summary>
public sealed class ApplicantNotifier(NotificationPublisher queue) : IApplicantNotifier
{
    public async Task NotifyAsync(ApplicantNotice notice, CancellationToken cancellationToken)
    {
        IReadOnlyList<DomainError> errors = await queue.PublishAsync(new NotificationRequest(
            notice.Key, RecipientDirectory.OfApplication(notice.ApplicationId), notice.Template, "zh-CN", notice.Parameters), cancellationToken);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"Notice {notice.Template} for {notice.ApplicationId} is invalid: {string.Join(" ", errors.Select(e => e.Message))}");
        }
    }
}
