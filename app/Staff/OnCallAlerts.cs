using System.Security.Cryptography;
using System.Text;
using JisuDai.App.Notifications;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Staff;

/// <summary>
/// Every staff alert, recorded, and sent to whoever is on call (<c>Alerts:OnCallPhones</c> by SMS,
/// <c>Alerts:OnCallEmails</c> by email) through the notifications queue when it opens: once per opening, not on each raising of an alert still open. The message names
/// the kind and target only; the detail is in the console and <c>GET /api/alerts</c>. Each message's idempotency key is
/// the alert, the opening and the recipient, and the opening is marked told only once every message is queued: a
/// raising whose telling failed is told on the next raising, and a recipient already told of that opening is not told again.
/// </summary>
public sealed class OnCallAlerts(IStaffAlerts records, NotificationPublisher publisher, IReadOnlyList<string> onCall, TimeProvider clock, ILogger<OnCallAlerts> logger) : IStaffAlerts
{
    /// <summary>The template on-call messages use.</summary>
    public const string Template = "StaffAlert";

    public async Task<StaffAlert?> RaiseAsync(StaffAlert alert, CancellationToken cancellationToken)
    {
        if (await records.RaiseAsync(alert, cancellationToken) is not { } opening)
        {
            return null;
        }

        logger.LogWarning("Staff alert {AlertId} opened: {Kind} on {Target}.", opening.Id, opening.Kind, opening.Target);
        foreach (string recipient in onCall)
        {
            string key = "alert-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{opening.Id}|{opening.At:O}|{recipient}")))[..32];
            var errors = await publisher.PublishAsync(new NotificationRequest(key, recipient, Template, "zh-CN",
                new Dictionary<string, string> { ["kind"] = opening.Kind, ["target"] = opening.Target }), cancellationToken);
            if (errors.Count > 0)
            {
                // A message that can never be sent (a template refused it) is not retried: it would fail the same way.
                logger.LogError("Could not queue the on-call message for alert {AlertId}: {Errors}", opening.Id, string.Join(" ", errors.Select(e => e.Message)));
            }
        }

        await records.MarkNotifiedAsync(opening.Id, opening.At, clock.GetUtcNow(), cancellationToken);
        return opening;
    }

    public Task MarkNotifiedAsync(string id, DateTimeOffset openedAt, DateTimeOffset at, CancellationToken cancellationToken) =>
        records.MarkNotifiedAsync(id, openedAt, at, cancellationToken);

    public Task<StaffAlert?> ResolveAsync(string id, string by, string resolution, DateTimeOffset at, CancellationToken cancellationToken) =>
        records.ResolveAsync(id, by, resolution, at, cancellationToken);

    public Task<IReadOnlyList<StaffAlert>> ListAsync(CancellationToken cancellationToken) => records.ListAsync(cancellationToken);
}
