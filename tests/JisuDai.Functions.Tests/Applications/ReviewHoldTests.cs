using JisuDai.App.Applications;

namespace JisuDai.Functions.Tests.Applications;

/// <summary>A reviewer's claim on a referral: it keeps others off until it lapses, and never keeps its holder off.</summary>
public sealed class ReviewHoldTests
{
    static readonly DateTimeOffset Claimed = new(2026, 12, 8, 9, 0, 0, TimeSpan.FromHours(8));

    static ReviewEntry HeldBy(string reviewer) =>
        new("app-1.cust-1", "cust-1", "d-1.cust-1", Claimed.AddHours(-1), false, null, "etag", reviewer, Claimed + ReviewDesk.HoldFor);

    [Fact]
    public void Another_reviewer_is_kept_off_until_the_hold_lapses_after_thirty_minutes_and_the_holder_never_is()
    {
        ReviewEntry entry = HeldBy("rev-a");
        Assert.Contains("rev-a", ReviewDesk.HeldByAnother(entry, "rev-b", Claimed.AddMinutes(29).AddSeconds(59)));
        Assert.Null(ReviewDesk.HeldByAnother(entry, "rev-b", Claimed.AddMinutes(30)));
        Assert.Null(ReviewDesk.HeldByAnother(entry, "rev-a", Claimed.AddMinutes(1)));
        Assert.Null(ReviewDesk.HeldByAnother(entry with { HeldBy = null, HeldUntil = null }, "rev-b", Claimed));
    }
}
