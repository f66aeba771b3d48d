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
public sealed class BlacklistDesk(IBlacklistStore blacklist, IAuditLog audit, PersonalData personalData, TimeProvider clock)
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

        // Matching is exact on the applicant's identifiers as the platform writes them, so an entry in any other form
        // would never match anyone: refused, not kept.
        string? listed = body.Value?.Trim();
        if (!string.IsNullOrEmpty(listed) && body.Kind == "phone" && !Lending.Customers.MobileNumber.IsValid(listed))
        {
            errors.Add(new DomainError("value", "phone", "a phone entry must be a mainland mobile number as +861XXXXXXXXXX, as applicants' phones are matched."));
        }

        if (!string.IsNullOrEmpty(listed) && body.Kind == "idNumber" && !Lending.Customers.ResidentId.IsValid(listed))
        {
            errors.Add(new DomainError("value", "resident-id", "an idNumber entry must be a valid 18-character resident ID number (its check character included)."));
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

    /// <summary>
    /// <paramref name="admin"/> proposes removing the entry <paramref name="body"/> names; another admin approves (four
    /// eyes). The value is sealed in the request (it is personal data), and shown masked.
    /// </summary>
    public async Task<Result<StaffRequest>> ProposeRemovalAsync(Caller admin, BlacklistRequest body, FourEyes fourEyes, CancellationToken cancellationToken)
    {
        if (body.Kind is null || !Blacklist.Kinds.Contains(body.Kind) || string.IsNullOrWhiteSpace(body.Value))
        {
            return Result<StaffRequest>.Invalid("kind", "kind and value name the entry to remove.");
        }

        string target = $"{body.Kind}:{Mask(body.Kind, body.Value)}";
        return await fourEyes.ProposeAsync(admin, StaffPower.BlacklistRemoval, target, await personalData.SealAsync(new BlacklistRemoval(body.Kind, body.Value), DataOwners.Blacklist, target, cancellationToken), cancellationToken);
    }

    /// <summary>Removes the entry an approved request names.</summary>
    public async Task<Result<object>> RemoveAsync(StaffRequest request, CancellationToken cancellationToken)
    {
        BlacklistRemoval removal = await personalData.OpenAsync<BlacklistRemoval>(request.Payload, request.Target, cancellationToken);
        return await blacklist.RemoveAsync(removal.Kind, removal.Value, cancellationToken)
            ? Result<object>.Ok(new { removed = request.Target })
            : Result<object>.NotFound("There is no such blacklist entry.");
    }

    /// <summary>The entry a removal names, as sealed in its staff request.</summary>
    public sealed record BlacklistRemoval(string Kind, string Value);

    static string Mask(string kind, string value) => kind switch
    {
        "phone" => PhoneMask.Mask(value),
        "name" => PersonalDataMask.Name(value),
        "idNumber" => PersonalDataMask.IdNumber(value),
        _ => value.Length > 8 ? $"{value[..4]}****{value[^4..]}" : "****",
    };
}

/// <summary>Removing a blacklist entry: proposed by an admin, approved by another.</summary>
public sealed class BlacklistRemovalPower(BlacklistDesk desk) : IStaffPower
{
    public StaffPower Power => StaffPower.BlacklistRemoval;

    public IReadOnlyList<string> ProposerRoles { get; } = [Roles.Admin];

    public IReadOnlyList<string> ApproverRoles { get; } = [Roles.Admin];

    public Task<Result<object>> CarryOutAsync(StaffRequest request, Caller approver, StaffContext context, CancellationToken cancellationToken) =>
        desk.RemoveAsync(request, cancellationToken);
}
