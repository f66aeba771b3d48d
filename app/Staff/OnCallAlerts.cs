using System.Security.Cryptography;
using System.Text;
using JisuDai.App.Notifications;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Staff;

/// <summary>
/// Every staff alert, recorded, and sent to whoever is on call (<c>Alerts:OnCallPhones</c>) by SMS through the
/// notifications queue when it opens: once per opening, not on each raising of an alert still open. The message names
/// the kind and target only; the detail is in the console and <c>GET /api/alerts</c>. Each message's idempotency key is
/// the alert, the opening and the phone, so a retried raising never texts twice.
/// </summary>
public sealed class OnCallAlerts(IStaffAlerts records, NotificationPublisher publisher, IReadOnlyList<string> onCallPhones, ILogger<OnCallAlerts> logger) : IStaffAlerts
{
    /// <summary>The template on-call messages use.</summary>
    public const string Template = "StaffAlert";

    public async Task<bool> RaiseAsync(StaffAlert alert, CancellationToken cancellationToken)
    {
        bool opened = await records.RaiseAsync(alert, cancellationToken);
        if (!opened)
        {
            return false;
        }

        logger.LogWarning("Staff alert {AlertId} opened: {Kind} on {Target}.", alert.Id, alert.Kind, alert.Target);
        foreach (string phone in onCallPhones)
        {
            string key = "alert-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{alert.Id}|{alert.At:O}|{phone}")))[..32];
            var errors = await publisher.PublishAsync(new NotificationRequest(key, phone, Template, "zh-CN",
                new Dictionary<string, string> { ["kind"] = alert.Kind, ["target"] = alert.Target }), cancellationToken);
            if (errors.Count > 0)
            {
                logger.LogError("Could not queue the on-call message for alert {AlertId}: {Errors}", alert.Id, string.Join(" ", errors.Select(e => e.Message)));
            }
        }

        return true;
    }

    public Task<StaffAlert?> ResolveAsync(string id, string by, string resolution, DateTimeOffset at, CancellationToken cancellationToken) =>
        records.ResolveAsync(id, by, resolution, at, cancellationToken);

    public Task<IReadOnlyList<StaffAlert>> ListAsync(CancellationToken cancellationToken) => records.ListAsync(cancellationToken);
}
