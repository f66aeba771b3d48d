using JisuDai.Risk.Checks;

namespace JisuDai.Risk.Behaviour;

/// <summary>
/// A customer's behaviour and device features as of one decision, recorded with it (so a replay reads what was known
/// then). A feature with nothing to go on is null, never a made-up default: a customer with no events has no night share.
/// </summary>
/// <param name="DeviceAgeDays">Lender's days since the application's device was first seen on the platform (by anyone, looking back 180 days): 0 for a device first seen today.</param>
/// <param name="DevicesPerCustomer30d">Distinct devices the customer used in 30 days, the application's included.</param>
/// <param name="CustomersPerDevice30d">Distinct customers seen on the application's device in 30 days, this one included.</param>
/// <param name="CustomersPerAddress30d">Distinct customers seen at the application's network address in 30 days.</param>
/// <param name="CustomersPerCard30d">Distinct customers who gave the application's bank card in 30 days.</param>
/// <param name="SignIns30d">Sign-ins in 30 days.</param>
/// <param name="SignIns90d">Sign-ins in 90 days.</param>
/// <param name="SignIns180d">Sign-ins in 180 days.</param>
/// <param name="NightShare30d">Share of the customer's events in 30 days between 00:00 and 06:00 lender's time.</param>
/// <param name="HoursSinceSignUp">Hours from the customer's sign-up to the decision.</param>
/// <param name="FormFillSeconds">The latest application-form operation's duration in the 24 hours before the decision.</param>
/// <param name="Emulator">The latest event from the application's device said it was an emulator.</param>
/// <param name="Rooted">The latest event from the application's device said it was rooted.</param>
public sealed record BehaviourFeatures(
    int? DeviceAgeDays, int DevicesPerCustomer30d, int CustomersPerDevice30d, int CustomersPerAddress30d, int CustomersPerCard30d,
    int SignIns30d, int SignIns90d, int SignIns180d, double? NightShare30d, double? HoursSinceSignUp, double? FormFillSeconds,
    bool? Emulator, bool? Rooted)
{
    /// <summary>How far back events and device sightings are read.</summary>
    public static readonly TimeSpan LookBack = TimeSpan.FromDays(180);

    static readonly TimeSpan Month = TimeSpan.FromDays(30), Quarter = TimeSpan.FromDays(90), Day = TimeSpan.FromDays(1);

    /// <summary>The features' names as rule facts and model inputs take them (<c>behaviour.</c> + name), in a fixed order.</summary>
    public static IReadOnlyList<(string Name, bool IsFlag)> Names { get; } =
    [
        ("deviceAgeDays", false), ("devicesPerCustomer30d", false), ("customersPerDevice30d", false), ("customersPerAddress30d", false),
        ("customersPerCard30d", false), ("signIns30d", false), ("signIns90d", false), ("signIns180d", false), ("nightShare30d", false),
        ("hoursSinceSignUp", false), ("formFillSeconds", false), ("emulator", true), ("rooted", true),
    ];

    /// <summary>The values in the order of <see cref="Names"/>: numbers, or 1/0 for flags; null where unknown.</summary>
    public double?[] Values() =>
    [
        DeviceAgeDays, DevicesPerCustomer30d, CustomersPerDevice30d, CustomersPerAddress30d, CustomersPerCard30d, SignIns30d, SignIns90d,
        SignIns180d, NightShare30d, HoursSinceSignUp, FormFillSeconds, Emulator is { } e ? (e ? 1 : 0) : null, Rooted is { } r ? (r ? 1 : 0) : null,
    ];

    /// <summary>
    /// The features as fields a model's feature spec can take as sources (<c>behaviour.deviceAgeDays</c>, ...): numbers
    /// in invariant text, flags as 1 or 0, unknown ones left out.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string?>> AsFields() => Scoring.SourceFields.Of("behaviour", Names.Select(n => n.Name).ToList(), Values());

    /// <summary>
    /// Computes the features at <paramref name="now"/> from what was recorded before it; anything stamped after
    /// <paramref name="now"/> is left out, so the same inputs give the same features whenever they are computed.
    /// </summary>
    /// <param name="now">The decision's moment.</param>
    /// <param name="signedUpAt">When the customer signed up; null for someone who is not a customer here.</param>
    /// <param name="events">The customer's events (any order).</param>
    /// <param name="device">A fingerprint of the application's device, if it named one (the same keyed fingerprint events carry).</param>
    /// <param name="deviceSightings">Sightings of the application's device by any customer.</param>
    /// <param name="addressSightings">Sightings of the application's address by any customer.</param>
    /// <param name="cardSightings">Sightings of the application's bank card by any customer.</param>
    /// <param name="utcOffset">The lender's offset from UTC at a given instant, for night-time.</param>
    public static BehaviourFeatures Of(
        DateTimeOffset now, DateTimeOffset? signedUpAt, IEnumerable<BehaviourEvent> events, string? device,
        IEnumerable<Sighting> deviceSightings, IEnumerable<Sighting> addressSightings, IEnumerable<Sighting> cardSightings,
        Func<DateTimeOffset, TimeSpan> utcOffset)
    {
        int signIns30 = 0, signIns90 = 0, signIns180 = 0, recent = 0, night = 0;
        var devices = new HashSet<string>(StringComparer.Ordinal);
        if (device is not null)
        {
            devices.Add(device);
        }

        BehaviourEvent? form = null, latestOnDevice = null;
        foreach (BehaviourEvent e in events)
        {
            TimeSpan age = now - e.At;
            if (age < TimeSpan.Zero || age >= LookBack)
            {
                continue;
            }

            if (e.Kind == BehaviourKinds.SignIn)
            {
                signIns180++;
                signIns90 += age < Quarter ? 1 : 0;
                signIns30 += age < Month ? 1 : 0;
            }

            if (age < Month)
            {
                recent++;
                int hour = e.At.ToOffset(utcOffset(e.At)).Hour;
                night += hour < 6 ? 1 : 0;
                if (e.Device is { } d)
                {
                    devices.Add(d);
                }
            }

            if (age < Day && e.Kind == BehaviourKinds.Operation && e.Name == BehaviourKinds.ApplicationForm && e.DurationMs is not null && (form is null || e.At > form.At))
            {
                form = e;
            }

            if (device is not null && e.Device == device && e.Traits is not null && (latestOnDevice is null || e.At > latestOnDevice.At))
            {
                latestOnDevice = e;
            }
        }

        var onDevice = deviceSightings.Where(s => s.At <= now && now - s.At < LookBack).ToList();
        return new BehaviourFeatures(
            DeviceAgeDays: device is null || onDevice.Count == 0 ? null : LocalDay(now, utcOffset) - LocalDay(onDevice.Min(s => s.At), utcOffset),
            DevicesPerCustomer30d: devices.Count,
            CustomersPerDevice30d: CustomersIn(onDevice, now),
            CustomersPerAddress30d: CustomersIn(addressSightings, now),
            CustomersPerCard30d: CustomersIn(cardSightings, now),
            SignIns30d: signIns30, SignIns90d: signIns90, SignIns180d: signIns180,
            NightShare30d: recent == 0 ? null : Math.Round((double)night / recent, 4),
            HoursSinceSignUp: signedUpAt is { } at && at <= now ? Math.Round((now - at).TotalHours, 3) : null,
            FormFillSeconds: form is null ? null : form.DurationMs!.Value / 1000.0,
            Emulator: latestOnDevice?.Traits!.Emulator,
            Rooted: latestOnDevice?.Traits!.Rooted);
    }

    static int LocalDay(DateTimeOffset at, Func<DateTimeOffset, TimeSpan> utcOffset) => DateOnly.FromDateTime(at.ToOffset(utcOffset(at)).DateTime).DayNumber;

    static int CustomersIn(IEnumerable<Sighting> sightings, DateTimeOffset now) =>
        sightings.Where(s => s.At <= now && now - s.At < Month).Select(s => s.Customer).Distinct(StringComparer.Ordinal).Count();
}
