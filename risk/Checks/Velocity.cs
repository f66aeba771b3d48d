namespace JisuDai.Risk.Checks;

/// <summary>Velocity: how many applications came from one identifier in a window ending now.</summary>
public static class Velocity
{
    /// <summary>The windows counted.</summary>
    public static readonly TimeSpan Hour = TimeSpan.FromHours(1), Day = TimeSpan.FromHours(24), Month = TimeSpan.FromDays(30);

    /// <summary>
    /// Counts <paramref name="seenAt"/> in the last hour, 24 hours and 30 days before <paramref name="now"/>. A window
    /// is (now − length, now]: an application exactly one hour old is no longer in the last hour.
    /// </summary>
    public static VelocityCounts Count(IEnumerable<DateTimeOffset> seenAt, DateTimeOffset now)
    {
        int hour = 0, day = 0, month = 0;
        foreach (DateTimeOffset at in seenAt)
        {
            if (at > now)
            {
                continue;
            }

            TimeSpan age = now - at;
            hour += age < Hour ? 1 : 0;
            day += age < Day ? 1 : 0;
            month += age < Month ? 1 : 0;
        }

        return new VelocityCounts(hour, day, month);
    }
}
