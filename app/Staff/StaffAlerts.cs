namespace JisuDai.App.Staff;

/// <summary>
/// Something staff must look at: what, on what, why, when first and last raised, and whether someone has resolved it
/// (no personal data).
/// </summary>
/// <param name="Id">One per condition and target, so a condition that persists is one alert.</param>
/// <param name="Kind">What kind of condition: payout-failed, reconciliation-…, sweep-quarantine, monitoring-psi, ….</param>
/// <param name="Target">What it is about: a transfer, a loan, a model version.</param>
/// <param name="Detail">What happened, as last raised.</param>
/// <param name="At">When it was (re)opened.</param>
/// <param name="LastAt">When it was last raised (null: only once).</param>
/// <param name="ResolvedAt">When someone resolved it (null: open).</param>
/// <param name="ResolvedBy">Who resolved it.</param>
/// <param name="Resolution">What they said was done.</param>
/// <param name="NotifiedAt">When whoever is on call was told of this opening (null: not yet).</param>
public sealed record StaffAlert(
    string Id, string Kind, string Target, string Detail, DateTimeOffset At,
    DateTimeOffset? LastAt = null, DateTimeOffset? ResolvedAt = null, string? ResolvedBy = null, string? Resolution = null, DateTimeOffset? NotifiedAt = null)
{
    /// <summary>True until someone resolves it.</summary>
    public bool Open => ResolvedAt is null;
}

/// <summary>Alerts for staff (and the records monitoring reads).</summary>
public interface IStaffAlerts
{
    /// <summary>
    /// Raises <paramref name="alert"/>: one not seen before, or resolved since, opens; one still open gets the new detail
    /// and time as its last raising. Returns the alert as stored when whoever is on call has still to be told of this
    /// opening (it opened now, or telling failed before), else null.
    /// </summary>
    Task<StaffAlert?> RaiseAsync(StaffAlert alert, CancellationToken cancellationToken);

    /// <summary>Records that on-call was told of the opening at <paramref name="openedAt"/> (a later opening is told anew).</summary>
    Task MarkNotifiedAsync(string id, DateTimeOffset openedAt, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Marks an open alert resolved; null when there is no such alert. An alert resolved already stays as it was.</summary>
    Task<StaffAlert?> ResolveAsync(string id, string by, string resolution, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Every alert raised, newest first.</summary>
    Task<IReadOnlyList<StaffAlert>> ListAsync(CancellationToken cancellationToken);
}
