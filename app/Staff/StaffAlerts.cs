namespace JisuDai.App.Staff;

/// <summary>Something staff must look at now: what, on what, why, when (no personal data).</summary>
public sealed record StaffAlert(string Id, string Kind, string Target, string Detail, DateTimeOffset At);

/// <summary>Alerts for staff (and the records monitoring reads); raising the same alert id again replaces it.</summary>
public interface IStaffAlerts
{
    /// <summary>Raises <paramref name="alert"/>.</summary>
    Task RaiseAsync(StaffAlert alert, CancellationToken cancellationToken);

    /// <summary>Every alert raised, newest first.</summary>
    Task<IReadOnlyList<StaffAlert>> ListAsync(CancellationToken cancellationToken);
}
