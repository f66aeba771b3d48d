using JisuDai.App.Configuration;
using Microsoft.Extensions.Configuration;

namespace JisuDai.App.Applications;

/// <summary>The approval's waits, from configuration (hh:mm:ss): escalate a referral after 4 h, decline it after 48 h, let an offer lapse after 72 h.</summary>
public static class ApprovalOptions
{
    public static ApprovalTimeouts FromConfiguration(IConfiguration configuration)
    {
        TimeSpan Read(string key, TimeSpan fallback) => Durations.Read(configuration, key, fallback) is var value && value > TimeSpan.Zero
            ? value
            : throw new ConfigurationException(key, "must be a positive duration as hh:mm:ss (or d.hh:mm:ss).");

        var timeouts = new ApprovalTimeouts(
            Read(AppSettings.ReviewEscalateAfter, TimeSpan.FromHours(4)),
            Read(AppSettings.ReviewDeclineAfter, TimeSpan.FromHours(48)),
            Read(AppSettings.OfferExpiresAfter, TimeSpan.FromHours(72)));
        return timeouts.ReviewDeclineAfter <= timeouts.ReviewEscalateAfter
            ? throw new ConfigurationException(AppSettings.ReviewDeclineAfter, $"must be longer than {AppSettings.ReviewEscalateAfter}.")
            : timeouts;
    }
}
