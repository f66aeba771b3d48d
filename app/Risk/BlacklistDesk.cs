using JisuDai.App.Notifications;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Lending;
using JisuDai.Risk.Checks;

namespace JisuDai.App.Risk;

/// <summary>A blacklist entry as staff send it (to add, or with kind and value, to remove).</summary>
public sealed record BlacklistRequest(string? Kind, string? Value, string? Source, string? Reason, DateTimeOffset? ExpiresAt);

/// <summary>The blacklist for admins: active entries with identifiers masked, add or replace an entry, remove one.</summary>
public sealed class BlacklistDesk(IBlacklistStore blacklist, IAuditLog audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<BlacklistEntry>> ListAsync(CancellationToken cancellationToken) =>
        (await blacklist.ListActiveAsync(clock.GetUtcNow(), cancellationToken)).Select(e => e with { Value = Mask(e.Kind, e.Value) }).ToList();

    public async Task<Result<BlacklistEntry>> AddAsync(Caller admin, BlacklistRequest body, CancellationToken cancellationToken)
    {
        var errors = new List<DomainError>();
        if (body.Kind is null || !Blacklist.Kinds.Contains(body.Kind))
        {
            errors.Add(new DomainError("kind", "allowed-values", $"kind must be one of {string.Join(", ", Blacklist.Kinds)}."));
        }

        foreach ((string field, string? value) in new[] { ("value", body.Value), ("source", body.Source), ("reason", body.Reason) })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Length > 200)
            {
                errors.Add(new DomainError(field, "required", $"{field} is required (at most 200 characters)."));
            }
        }

        if (body.ExpiresAt is { } expires && expires <= clock.GetUtcNow())
        {
            errors.Add(new DomainError("expiresAt", "future", "expiresAt must be in the future (or left out for no expiry)."));
        }

        if (errors.Count > 0)
        {
            return Result<BlacklistEntry>.Invalid(errors);
        }

        await audit.AppendAsync(StaffAction.By(admin, "blacklist-add", $"{body.Kind}:{Mask(body.Kind!, body.Value!)}", $"{body.Source}: {body.Reason}"), cancellationToken);
        await blacklist.AddAsync(new BlacklistEntry(body.Kind!, body.Value!.Trim(), body.Source!, body.Reason!, body.ExpiresAt), cancellationToken);
        return Result<BlacklistEntry>.Ok(new BlacklistEntry(body.Kind!, Mask(body.Kind!, body.Value!), body.Source!, body.Reason!, body.ExpiresAt));
    }

    public async Task<Result<bool>> RemoveAsync(Caller admin, BlacklistRequest body, CancellationToken cancellationToken)
    {
        if (body.Kind is null || !Blacklist.Kinds.Contains(body.Kind) || string.IsNullOrWhiteSpace(body.Value))
        {
            return Result<bool>.Invalid("kind", "kind and value name the entry to remove.");
        }

        await audit.AppendAsync(StaffAction.By(admin, "blacklist-remove", $"{body.Kind}:{Mask(body.Kind, body.Value)}"), cancellationToken);
        return await blacklist.RemoveAsync(body.Kind, body.Value, cancellationToken)
            ? Result<bool>.Ok(true)
            : Result<bool>.NotFound("There is no such blacklist entry.");
    }

    static string Mask(string kind, string value) => kind switch
    {
        "phone" => PhoneMask.Mask(value),
        "name" => PersonalDataMask.Name(value),
        "idNumber" => PersonalDataMask.IdNumber(value),
        _ => value.Length > 8 ? $"{value[..4]}****{value[^4..]}" : "****",
    };
}
