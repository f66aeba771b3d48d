using JisuDai.Risk.Behaviour;
using JisuDai.Risk.Checks;

namespace JisuDai.Risk.Tests;

/// <summary>Behaviour and device features from events and sightings, as of a decision's moment.</summary>
public sealed class BehaviourFeaturesTests
{
    static readonly DateTimeOffset Now = new(2026, 12, 3, 4, 0, 0, TimeSpan.Zero); // 12:00 in Shanghai
    static readonly Func<DateTimeOffset, TimeSpan> Shanghai = _ => TimeSpan.FromHours(8);

    static BehaviourEvent Seen(string kind, DateTimeOffset at, string? device = "d1", string? name = null, long? ms = null, bool emulator = false) =>
        new(kind, at, name, ms, device, "a1", device is null ? null : new DeviceTraits("android", "14", "Pixel", "1080x2400", "Asia/Shanghai", "zh-CN", emulator, false));

    static BehaviourFeatures Of(IEnumerable<BehaviourEvent> events, string? device = "d1", IEnumerable<Sighting>? onDevice = null, DateTimeOffset? signedUp = null) =>
        BehaviourFeatures.Of(Now, signedUp, events, device, onDevice ?? [], [], [], Shanghai);

    [Fact]
    public void Sign_ins_are_counted_per_window_and_the_night_share_is_in_the_lenders_time()
    {
        BehaviourEvent[] events =
        [
            Seen(BehaviourKinds.SignIn, Now.AddDays(-1)),
            Seen(BehaviourKinds.SignIn, Now.AddDays(-45)),
            Seen(BehaviourKinds.SignIn, Now.AddDays(-120)),
            Seen(BehaviourKinds.SignIn, Now.AddDays(-200)), // beyond 180 days: not counted
            Seen(BehaviourKinds.PageView, new DateTimeOffset(2026, 12, 1, 18, 30, 0, TimeSpan.Zero), name: "home"), // 02:30 in Shanghai: night
            Seen(BehaviourKinds.PageView, new DateTimeOffset(2026, 12, 2, 1, 0, 0, TimeSpan.Zero), name: "home"), // 09:00 in Shanghai: day
            Seen(BehaviourKinds.AppOpen, Now.AddMinutes(5)), // after the decision: left out
        ];

        BehaviourFeatures features = Of(events);

        Assert.Equal((1, 2, 3), (features.SignIns30d, features.SignIns90d, features.SignIns180d));
        Assert.Equal(1 / 3.0, features.NightShare30d!.Value, 4); // the sign-in a day ago was 12:00 there
    }

    [Fact]
    public void The_form_fill_time_is_the_latest_application_form_in_the_last_day()
    {
        BehaviourFeatures features = Of(
        [
            Seen(BehaviourKinds.Operation, Now.AddHours(-30), name: BehaviourKinds.ApplicationForm, ms: 10_000),
            Seen(BehaviourKinds.Operation, Now.AddHours(-2), name: BehaviourKinds.ApplicationForm, ms: 42_500),
            Seen(BehaviourKinds.Operation, Now.AddHours(-1), name: "bank-card-form", ms: 3_000),
        ]);

        Assert.Equal(42.5, features.FormFillSeconds);
        Assert.Null(Of([Seen(BehaviourKinds.Operation, Now.AddHours(-30), name: BehaviourKinds.ApplicationForm, ms: 10_000)]).FormFillSeconds);
    }

    [Fact]
    public void Device_features_come_from_the_applications_device_and_who_else_was_seen_on_it()
    {
        Sighting[] onDevice = [new(Now.AddDays(-50), "x"), new(Now.AddDays(-10), "y"), new(Now.AddHours(-1), "z"), new(Now.AddHours(-2), "z")];
        BehaviourFeatures features = Of(
            [Seen(BehaviourKinds.AppOpen, Now.AddHours(-3), emulator: true), Seen(BehaviourKinds.AppOpen, Now.AddHours(-4), device: "d2"), Seen(BehaviourKinds.AppOpen, Now.AddHours(-1), device: "d1")],
            onDevice: onDevice, signedUp: Now.AddHours(-36));

        Assert.Equal(50, features.DeviceAgeDays);
        Assert.Equal(2, features.CustomersPerDevice30d); // y and z; x was 50 days ago
        Assert.Equal(2, features.DevicesPerCustomer30d);
        Assert.False(features.Emulator); // the latest event from d1 says it is not one
        Assert.Equal(36, features.HoursSinceSignUp);

        BehaviourFeatures none = Of([], device: null);
        Assert.Null(none.DeviceAgeDays);
        Assert.Null(none.Emulator);
        Assert.Null(none.NightShare30d);
        Assert.Null(none.HoursSinceSignUp);
        Assert.Equal(0, none.DevicesPerCustomer30d);
    }

    [Fact]
    public void As_fields_for_a_feature_spec_they_are_invariant_numbers_with_unknown_ones_left_out()
    {
        var fields = Of([Seen(BehaviourKinds.AppOpen, Now.AddHours(-3), emulator: true)]).AsFields().ToDictionary();

        Assert.Equal("1", fields["behaviour.emulator"]);
        Assert.Equal("0", fields["behaviour.signIns30d"]);
        Assert.False(fields.ContainsKey("behaviour.formFillSeconds"));
        Assert.Equal(BehaviourFeatures.Names.Count, BehaviourFeatures.Names.Select(n => n.Name).Distinct().Count());
    }
}
