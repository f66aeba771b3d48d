using System.Globalization;
using System.Text.RegularExpressions;
using JisuDai.App.Configuration;
using JisuDai.Risk.Monitoring;
using Microsoft.Extensions.Configuration;

namespace JisuDai.App.Monitoring;

/// <summary>Monitoring's settings: the alert thresholds, and who is on call.</summary>
public static partial class MonitoringOptions
{
    /// <summary>The alert thresholds: each <c>Monitoring:*</c> setting, or its default (<see cref="AlertThresholds"/>).</summary>
    public static AlertThresholds ThresholdsFrom(IConfiguration configuration)
    {
        var defaults = new AlertThresholds();
        return new AlertThresholds(
            Number(configuration, AppSettings.MonitoringPsiAlert, defaults.Psi, 0.01, 10),
            Number(configuration, AppSettings.MonitoringCsiAlert, defaults.Csi, 0.01, 10),
            (int)Number(configuration, AppSettings.MonitoringAlertWindowDays, defaults.WindowDays, 1, 90, whole: true),
            (long)Number(configuration, AppSettings.MonitoringAlertMinimumDecisions, defaults.MinimumDecisions, 1, 1_000_000, whole: true),
            Number(configuration, AppSettings.MonitoringApprovalRateMovePoints, defaults.ApprovalRateMovePoints, 0.1, 100),
            Number(configuration, AppSettings.MonitoringRuleHitRateFactor, defaults.RuleHitRateFactor, 1.01, 1000),
            (long)Number(configuration, AppSettings.MonitoringMinimumRuleHits, defaults.MinimumRuleHits, 1, 1_000_000, whole: true),
            Number(configuration, AppSettings.MonitoringFirstPaymentDefaultAlert, defaults.FirstPaymentDefaultRate, 0.001, 1),
            (int)Number(configuration, AppSettings.MonitoringMinimumMatured, defaults.MinimumMatured, 1, 1_000_000, whole: true));
    }

    /// <summary>The outcome window retraining labels on (<c>Retraining:Window</c>, default ever30in6).</summary>
    public static string RetrainingWindowFrom(IConfiguration configuration)
    {
        string window = configuration[AppSettings.RetrainingWindow] is { Length: > 0 } text ? text.Trim() : JisuDai.Risk.Outcomes.OutcomeWindows.Ever30In6;
        return JisuDai.Risk.Outcomes.OutcomeWindows.All.Contains(window) ? window
            : throw new ConfigurationException(AppSettings.RetrainingWindow, $"must be one of {string.Join(", ", JisuDai.Risk.Outcomes.OutcomeWindows.All)}; got '{window}'.");
    }

    /// <summary>The on-call email addresses (<c>Alerts:OnCallEmails</c>, comma-separated); none when unset.</summary>
    public static IReadOnlyList<string> OnCallEmailsFrom(IConfiguration configuration)
    {
        var addresses = (configuration[AppSettings.AlertsOnCallEmails] ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (addresses.Any(a => !Notifications.EmailAddress.IsValid(a)))
        {
            throw new ConfigurationException(AppSettings.AlertsOnCallEmails, "must list email addresses such as oncall@lender.example, separated by commas.");
        }

        return addresses.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The on-call phones (<c>Alerts:OnCallPhones</c>, comma-separated E.164); none when unset.</summary>
    public static IReadOnlyList<string> OnCallPhonesFrom(IConfiguration configuration)
    {
        var phones = (configuration[AppSettings.AlertsOnCallPhones] ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (string phone in phones)
        {
            if (!Phone().IsMatch(phone))
            {
                // The number itself is personal data: the error says where, not what.
                throw new ConfigurationException(AppSettings.AlertsOnCallPhones, "must list E.164 phone numbers such as +8613800138000, separated by commas.");
            }
        }

        return phones.Distinct(StringComparer.Ordinal).ToList();
    }

    static double Number(IConfiguration configuration, string key, double fallback, double min, double max, bool whole = false)
    {
        if (configuration[key] is not { } text || string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= min && value <= max && (!whole || value == Math.Floor(value))
            ? value
            : throw new ConfigurationException(key, $"must be {(whole ? "a whole number" : "a number")} from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}; got '{text}'.");
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}\z")]
    private static partial Regex Phone();
}
