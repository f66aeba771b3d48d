namespace JisuDai.App.Notifications.Templates;

/// <summary>What to do with a message now.</summary>
public abstract record SendingDecision
{
    public sealed record SendNow : SendingDecision;
    public sealed record HoldUntil(DateTimeOffset When) : SendingDecision;
    public sealed record Skip(string Reason) : SendingDecision;
}

/// <summary>
/// Quiet hours and opt-out. Collection and marketing messages are not sent from 21:00 to 08:00 in
/// Asia/Shanghai: they are held until 08:00. Transactional messages (OTP, disbursement) go at once, always.
/// An opted-out borrower receives only transactional messages.
/// </summary>
public static class SendingRules
{
    public static readonly TimeOnly QuietFrom = new(21, 0), QuietUntil = new(8, 0);

    public static SendingDecision Decide(MessageCategory category, bool optedOut, DateTimeOffset now, TimeZoneInfo lenderZone)
    {
        if (category == MessageCategory.Transactional)
        {
            return new SendingDecision.SendNow();
        }

        if (optedOut)
        {
            return new SendingDecision.Skip("the recipient opted out");
        }

        if (category is MessageCategory.Collection or MessageCategory.Marketing)
        {
            DateTimeOffset local = TimeZoneInfo.ConvertTime(now, lenderZone);
            TimeOnly time = TimeOnly.FromDateTime(local.DateTime);
            if (time >= QuietFrom || time < QuietUntil)
            {
                DateTime morning = local.Date.AddDays(time >= QuietFrom ? 1 : 0) + QuietUntil.ToTimeSpan();
                return new SendingDecision.HoldUntil(new DateTimeOffset(morning, lenderZone.GetUtcOffset(morning)));
            }
        }

        return new SendingDecision.SendNow();
    }
}
