using JisuDai.App.Results;
using JisuDai.App.Security;

namespace JisuDai.App.Staff;

/// <summary>A resolution of an alert: what was done about it.</summary>
public sealed record AlertResolution(string? Resolution);

/// <summary>Staff read alerts and resolve them; each resolution is in the staff audit log.</summary>
public sealed class AlertDesk(IStaffAlerts alerts, IAuditLog audit, TimeProvider clock)
{
    /// <summary>The longest resolution text.</summary>
    public const int MaxResolution = 500;

    /// <summary>Every alert, newest first; only the open ones when <paramref name="open"/> is "true", only resolved ones when "false".</summary>
    public async Task<Result<IReadOnlyList<StaffAlert>>> ListAsync(string? open, CancellationToken cancellationToken)
    {
        if (open is not (null or "" or "true" or "false"))
        {
            return Result<IReadOnlyList<StaffAlert>>.Invalid("open", "open must be true or false.");
        }

        bool? wanted = string.IsNullOrEmpty(open) ? null : open == "true";

        var all = await alerts.ListAsync(cancellationToken);
        return Result<IReadOnlyList<StaffAlert>>.Ok(wanted is null ? all : all.Where(a => a.Open == wanted).ToList());
    }

    /// <summary>Resolves alert <paramref name="id"/> with what was done.</summary>
    public async Task<Result<StaffAlert>> ResolveAsync(Caller caller, string id, AlertResolution body, CancellationToken cancellationToken)
    {
        string? resolution = body.Resolution?.Trim();
        if (string.IsNullOrEmpty(resolution) || resolution.Length > MaxResolution)
        {
            return Result<StaffAlert>.Invalid("resolution", $"resolution must say what was done, 1 to {MaxResolution} characters.");
        }

        if (!Lending.Documents.DocumentKey.IsValid(id))
        {
            return Result<StaffAlert>.NotFound($"There is no alert '{id}'.");
        }

        DateTimeOffset now = clock.GetUtcNow();
        StaffAlert? resolved = await alerts.ResolveAsync(id, caller.Subject, resolution, now, cancellationToken);
        if (resolved is null)
        {
            return Result<StaffAlert>.NotFound($"There is no alert '{id}'.");
        }

        // Resolved before: answered as it stands, and nothing new for the audit log.
        if (resolved.ResolvedAt == now && resolved.ResolvedBy == caller.Subject)
        {
            await audit.AppendAsync(StaffAction.By(caller, "resolve-alert", id, resolution), cancellationToken);
        }

        return Result<StaffAlert>.Ok(resolved);
    }
}
