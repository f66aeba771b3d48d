namespace JisuDai.Risk.Checks;

/// <summary>What a blacklist entry matched.</summary>
/// <param name="Kind">idNumber, phone, device or name.</param>
/// <param name="Source">Who listed it.</param>
/// <param name="Reason">Why.</param>
/// <param name="Similarity">1 for an exact match; the Jaro–Winkler similarity for a name.</param>
public sealed record BlacklistHit(string Kind, string Source, string Reason, double Similarity);

/// <summary>Applications seen for one identifier in the last hour, 24 hours and 30 days (this one included).</summary>
public sealed record VelocityCounts(int LastHour, int Last24Hours, int Last30Days);

/// <summary>The fraud checks' findings for one application, recorded with the decision so it can be replayed.</summary>
/// <param name="Blacklist">Every blacklist entry that matched.</param>
/// <param name="Velocity">Counts per identifier kind: idNumber, phone, device, ip.</param>
/// <param name="DeviceCustomers">Distinct customers seen on the application's device in 30 days.</param>
public sealed record CheckResults(IReadOnlyList<BlacklistHit> Blacklist, IReadOnlyDictionary<string, VelocityCounts> Velocity, int DeviceCustomers)
{
    /// <summary>No findings: nothing listed, this the first application from each identifier.</summary>
    public static CheckResults Clean { get; } = new([], VelocityKinds.All.ToDictionary(k => k, _ => new VelocityCounts(1, 1, 1)), 1);
}

/// <summary>The identifiers velocity is counted by.</summary>
public static class VelocityKinds
{
    /// <summary>idNumber, phone, device, ip.</summary>
    public static IReadOnlyList<string> All { get; } = ["idNumber", "phone", "device", "ip"];
}
