using JisuDai.App.Configuration;

namespace JisuDai.App.Loans;

/// <summary>
/// When reminders go out: <c>Repayment:RemindAt</c> (time of day in Asia/Shanghai, default 09:00:00) and
/// <c>Repayment:DayLength</c> (default 1.00:00:00; only tests shorten it, to live a month in seconds); and on which days
/// past due a failed debit is tried again, <c>Repayment:DebitRetryDays</c> (default 1,3,7; each one of the lifecycle's
/// follow-up days, <see cref="FollowUpDays"/>).
/// </summary>
public sealed record RepaymentOptions(TimeSpan DayLength, TimeSpan RemindAt, IReadOnlySet<int> DebitRetryDays)
{
    /// <summary>The days past due the repayment lifecycle takes a step on (collection reminders), so a debit can be retried on.</summary>
    public static IReadOnlySet<int> FollowUpDays { get; } = new HashSet<int> { 1, 3, 7, 15 };

    /// <summary>The default retry days after a failed debit.</summary>
    public static IReadOnlySet<int> DefaultDebitRetryDays { get; } = new HashSet<int> { 1, 3, 7 };

    public static RepaymentOptions FromConfiguration(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        TimeSpan dayLength = Durations.Read(configuration, AppSettings.RepaymentDayLength, TimeSpan.FromDays(1));
        TimeSpan remindAt = Durations.Read(configuration, AppSettings.RepaymentRemindAt, TimeSpan.FromHours(9));
        if (dayLength <= TimeSpan.Zero)
        {
            throw new ConfigurationException(AppSettings.RepaymentDayLength, "must be a positive duration such as 1.00:00:00.");
        }

        if (remindAt < TimeSpan.Zero || remindAt >= TimeSpan.FromDays(1))
        {
            throw new ConfigurationException(AppSettings.RepaymentRemindAt, "must be a time of day from 00:00:00 to 23:59:59.");
        }

        IReadOnlySet<int> retryDays = DefaultDebitRetryDays;
        if (configuration[AppSettings.RepaymentDebitRetryDays] is { } configured)
        {
            var days = new HashSet<int>();
            foreach (string part in configured.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int day) || !FollowUpDays.Contains(day))
                {
                    throw new ConfigurationException(AppSettings.RepaymentDebitRetryDays, $"must list days past due from {string.Join(", ", FollowUpDays)} (the lifecycle's follow-up days), such as 1,3,7; got '{part}'.");
                }

                days.Add(day);
            }

            retryDays = days;
        }

        return new RepaymentOptions(dayLength, remindAt, retryDays);
    }
}
