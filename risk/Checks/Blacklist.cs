namespace JisuDai.Risk.Checks;

/// <summary>A blacklist entry.</summary>
/// <param name="Kind">idNumber, phone, device or name.</param>
/// <param name="Value">The identifier (a name as written; it is normalised when matched).</param>
/// <param name="Source">Who listed it (a team, a bureau, the decision engine).</param>
/// <param name="Reason">Why.</param>
/// <param name="ExpiresAt">When it stops applying; null for never.</param>
public sealed record BlacklistEntry(string Kind, string Value, string Source, string Reason, DateTimeOffset? ExpiresAt);

/// <summary>The identifiers of an applicant that the fraud checks look at.</summary>
public sealed record ApplicantIdentity(string IdNumber, string Phone, string Name, string? DeviceId, string? Ip);

/// <summary>Matches an applicant against blacklist entries: exact on ID number, phone and device; fuzzy on name.</summary>
public static class Blacklist
{
    /// <summary>The kinds of entry.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["idNumber", "phone", "device", "name"];

    /// <summary>The default name similarity at or above which a name matches.</summary>
    public const double DefaultNameThreshold = 0.92;

    /// <summary>The entries that apply at <paramref name="now"/> and match <paramref name="applicant"/>.</summary>
    public static IReadOnlyList<BlacklistHit> Match(IEnumerable<BlacklistEntry> entries, ApplicantIdentity applicant, DateTimeOffset now, double nameThreshold = DefaultNameThreshold)
    {
        string name = NameMatching.Normalise(applicant.Name);
        var hits = new List<BlacklistHit>();
        foreach (BlacklistEntry entry in entries)
        {
            if (entry.ExpiresAt is { } expires && expires <= now)
            {
                continue;
            }

            double similarity = entry.Kind switch
            {
                "idNumber" => Exact(entry.Value, applicant.IdNumber),
                "phone" => Exact(entry.Value, applicant.Phone),
                "device" => applicant.DeviceId is { } device ? Exact(entry.Value, device) : 0,
                "name" => NameMatching.JaroWinkler(NameMatching.Normalise(entry.Value), name),
                _ => 0,
            };
            if (similarity >= (entry.Kind == "name" ? nameThreshold : 1))
            {
                hits.Add(new BlacklistHit(entry.Kind, entry.Source, entry.Reason, Math.Round(similarity, 4)));
            }
        }

        return hits;
    }

    static double Exact(string listed, string value) => string.Equals(listed.Trim(), value.Trim(), StringComparison.OrdinalIgnoreCase) ? 1 : 0;
}
