using JisuDai.Risk.Checks;

namespace JisuDai.Risk.Tests;

/// <summary>Blacklist matching (exact and fuzzy) and velocity windows at their edges.</summary>
public sealed class ChecksTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.FromHours(8));
    static readonly ApplicantIdentity Zhang = new("110101199003070011", "+8613800138000", "Zhang San", "dev-1", "10.0.0.1");

    [Fact]
    public void ID_number_phone_and_device_match_exactly_and_expired_entries_are_ignored()
    {
        var hits = Blacklist.Match([
            new("idNumber", "110101199003070011", "bureau", "fraud ring", null),
            new("phone", "+8613800138000", "collections", "abuse", Now.AddDays(1)),
            new("device", "dev-1", "fraud team", "emulator", Now),
            new("phone", "+8613800138001", "collections", "other number", null),
        ], Zhang, Now);

        Assert.Equal(["idNumber", "phone"], hits.Select(h => h.Kind));
        Assert.All(hits, h => Assert.Equal(1, h.Similarity));
    }

    [Theory]
    [InlineData("Zhang San", true)]
    [InlineData("ZHANG  san", true)]
    [InlineData("Ｚｈａｎｇ·Ｓａｎ", true)]
    [InlineData("Zhang Sen", true)]
    [InlineData("Zhang Shan", true)]
    [InlineData("Zhao San", false)]
    [InlineData("Li Si", false)]
    public void Names_match_fuzzily_above_the_threshold(string listed, bool matches)
    {
        var hits = Blacklist.Match([new("name", listed, "bureau", "fraud", null)], Zhang, Now);

        Assert.Equal(matches, hits.Count == 1);
    }

    [Fact]
    public void Jaro_Winkler_matches_the_published_examples()
    {
        Assert.Equal(0.961, NameMatching.JaroWinkler("martha", "marhta"), 3);
        Assert.Equal(0.840, NameMatching.JaroWinkler("dwayne", "duane"), 3);
        Assert.Equal(0.813, NameMatching.JaroWinkler("dixon", "dicksonx"), 3);
        Assert.Equal(1, NameMatching.JaroWinkler("张三", "张三"));
        Assert.Equal(0, NameMatching.JaroWinkler("abc", "xyz"));
    }

    [Fact]
    public void The_name_threshold_is_a_setting()
    {
        BlacklistEntry entry = new("name", "Zhang Shan", "bureau", "fraud", null);
        double similarity = NameMatching.JaroWinkler("zhangshan", "zhangsan");

        Assert.Single(Blacklist.Match([entry], Zhang, Now, nameThreshold: similarity));
        Assert.Empty(Blacklist.Match([entry], Zhang, Now, nameThreshold: similarity + 0.0001));
    }

    [Fact]
    public void Velocity_windows_include_just_under_their_length_and_exclude_exactly_it()
    {
        var tick = TimeSpan.FromTicks(1);
        DateTimeOffset[] seen =
        [
            Now,
            Now - Velocity.Hour + tick,
            Now - Velocity.Hour,
            Now - Velocity.Day + tick,
            Now - Velocity.Day,
            Now - Velocity.Month + tick,
            Now - Velocity.Month,
            Now + tick,
        ];

        Assert.Equal(new VelocityCounts(2, 4, 6), Velocity.Count(seen, Now));
    }
}
