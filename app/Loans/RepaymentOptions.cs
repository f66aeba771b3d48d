using JisuDai.App.Configuration;

namespace JisuDai.App.Loans;

/// <summary>
/// When reminders go out: <c>Repayment:RemindAt</c> (time of day in Asia/Shanghai, default 09:00:00) and
/// <c>Repayment:DayLength</c> (default 1.00:00:00; only tests shorten it, to live a month in seconds).
/// </summary>
public sealed record RepaymentOptions(TimeSpan DayLength, TimeSpan RemindAt)
{
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

        return new RepaymentOptions(dayLength, remindAt);
    }
}
