namespace JisuDai.Lending.Delinquency;

/// <summary>A range of days past due, inclusive; <see cref="ToDays"/> null means "and beyond".</summary>
/// <param name="Name">The bucket's name (M1, M2 …).</param>
/// <param name="FromDays">First day past due in the bucket.</param>
/// <param name="ToDays">Last day past due in the bucket, or null for the open last bucket.</param>
public sealed record DelinquencyBucket(string Name, int FromDays, int? ToDays);

/// <summary>How overdue loans are classified and charged.</summary>
/// <param name="Buckets">Contiguous buckets from 0 days, the last open-ended.</param>
/// <param name="WriteOffAfterDays">Days past due beyond which a loan is proposed for write-off.</param>
/// <param name="PenaltyAnnualRate">Penalty interest on overdue principal, as an annual fraction, charged daily.</param>
/// <param name="GraceDays">Days past due with no penalty and no late fee (days past due still count).</param>
/// <param name="LateFee">Flat fee in yuan charged once per installment still unpaid after the grace days.</param>
public sealed record DelinquencyPolicy(IReadOnlyList<DelinquencyBucket> Buckets, int WriteOffAfterDays, decimal PenaltyAnnualRate,
    int GraceDays = 0, decimal LateFee = 0m)
{
    /// <summary>Current, M1 1–30, M2 31–60, M3 61–90, M4+ 91–180, write-off beyond; 18% a year penalty; 3 grace days; no late fee.</summary>
    public static DelinquencyPolicy Default { get; } = new(
        [new("Current", 0, 0), new("M1", 1, 30), new("M2", 31, 60), new("M3", 61, 90), new("M4+", 91, 180), new("WriteOff", 181, null)],
        WriteOffAfterDays: 180,
        PenaltyAnnualRate: 0.18m,
        GraceDays: 3,
        LateFee: 0m);

    /// <summary>The bucket a loan <paramref name="daysPastDue"/> days past due falls in.</summary>
    public DelinquencyBucket BucketFor(int daysPastDue) =>
        Buckets.First(b => daysPastDue >= b.FromDays && (b.ToDays is null || daysPastDue <= b.ToDays));

    /// <summary>Errors when the buckets do not cover every day from 0 exactly once, or a number is out of range.</summary>
    public IReadOnlyList<DomainError> Check()
    {
        var errors = new List<DomainError>();
        bool contiguous = Buckets.Count > 0 && Buckets[0].FromDays == 0 && Buckets[^1].ToDays is null
            && Buckets.Zip(Buckets.Skip(1)).All(p => p.First.ToDays is { } to && to >= p.First.FromDays && p.Second.FromDays == to + 1);
        if (!contiguous)
        {
            errors.Add(new("buckets", "buckets-contiguous", "Buckets must start at 0 days, follow on without gaps or overlaps, and end open-ended."));
        }

        if (WriteOffAfterDays < 1)
        {
            errors.Add(new("writeOffAfterDays", "write-off-positive", "Write-off must come at least one day past due."));
        }

        if (PenaltyAnnualRate is < 0 or > 10m)
        {
            errors.Add(new("penaltyAnnualRate", "penalty-in-range", "The penalty rate must be from 0 to 10 (1000%) a year."));
        }

        if (GraceDays < 0)
        {
            errors.Add(new("graceDays", "grace-days-non-negative", "Grace days cannot be negative."));
        }

        if (LateFee < 0 || decimal.Round(LateFee, 2) != LateFee)
        {
            errors.Add(new("lateFee", "late-fee-fen", "The late fee must be 0 or more, in whole fen."));
        }

        return errors;
    }
}
