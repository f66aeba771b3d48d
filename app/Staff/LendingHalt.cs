using System.Text.Json;
using JisuDai.App.Results;
using JisuDai.App.Security;

namespace JisuDai.App.Staff;

/// <summary>Whether lending is halted: no new approvals (applications are referred) and no payouts (they wait) while it is.</summary>
/// <param name="Halted">True while halted.</param>
/// <param name="Reason">Why, as its setter said.</param>
/// <param name="SetBy">Who halted it.</param>
/// <param name="Since">Since when.</param>
public sealed record LendingHalt(bool Halted, string? Reason = null, string? SetBy = null, DateTimeOffset? Since = null)
{
    /// <summary>Lending as it runs normally.</summary>
    public static readonly LendingHalt None = new(false);
}

/// <summary>Where the halt is kept.</summary>
public interface ILendingHaltStore
{
    Task<LendingHalt> GetAsync(CancellationToken cancellationToken);

    Task SetAsync(LendingHalt halt, CancellationToken cancellationToken);
}

/// <summary>A halt's body: why.</summary>
public sealed record HaltBody(string? Reason);

/// <summary>
/// The halt switch: one admin (risk) halts lending at once, with a reason, and the halt takes effect for the next
/// decision and the next payout; lifting it is four eyes (<see cref="HaltLiftPower"/>), since it lets money move again.
/// Both are in the staff audit log.
/// </summary>
public sealed class HaltDesk(ILendingHaltStore store, IAuditLog audit, TimeProvider clock)
{
    public Task<LendingHalt> GetAsync(CancellationToken cancellationToken) => store.GetAsync(cancellationToken);

    public async Task<Result<LendingHalt>> HaltAsync(Caller admin, HaltBody body, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > 200)
        {
            return Result<LendingHalt>.Invalid("reason", "a halt needs a reason (at most 200 characters).");
        }

        LendingHalt current = await store.GetAsync(cancellationToken);
        if (current.Halted)
        {
            return Result<LendingHalt>.Ok(current);
        }

        var halt = new LendingHalt(true, body.Reason.Trim(), admin.Subject, clock.GetUtcNow());
        await store.SetAsync(halt, cancellationToken);
        await audit.AppendAsync(StaffAction.By(admin, "halt lending", "lending", halt.Reason!), cancellationToken);
        return Result<LendingHalt>.Ok(halt);
    }

    /// <summary><paramref name="maker"/> proposes lifting the halt in force; a second admin approves.</summary>
    public async Task<Result<StaffRequest>> ProposeLiftAsync(Caller maker, FourEyes fourEyes, CancellationToken cancellationToken)
    {
        LendingHalt current = await store.GetAsync(cancellationToken);
        return !current.Halted
            ? Result<StaffRequest>.Conflict("Lending is not halted.")
            : await fourEyes.ProposeAsync(maker, StaffPower.HaltLift, "lending", JsonSerializer.Serialize(current, StaffRequest.PayloadJson), cancellationToken);
    }

    /// <summary>Lifts the halt an approved request was proposed against (a newer halt is not lifted by it).</summary>
    public async Task<Result<object>> LiftAsync(StaffRequest request, CancellationToken cancellationToken)
    {
        LendingHalt proposedAgainst = JsonSerializer.Deserialize<LendingHalt>(request.Payload, StaffRequest.PayloadJson)!;
        LendingHalt current = await store.GetAsync(cancellationToken);
        if (current.Halted && current.Since != proposedAgainst.Since)
        {
            return Result<object>.Conflict("Lending was halted again since the lift was proposed; propose lifting the new halt.");
        }

        await store.SetAsync(LendingHalt.None, cancellationToken);
        return Result<object>.Ok(LendingHalt.None);
    }
}

/// <summary>Lifting the lending halt: proposed by an admin, approved by another.</summary>
public sealed class HaltLiftPower(HaltDesk desk) : IStaffPower
{
    public StaffPower Power => StaffPower.HaltLift;

    public IReadOnlyList<string> ProposerRoles { get; } = [Roles.Admin];

    public IReadOnlyList<string> ApproverRoles { get; } = [Roles.Admin];

    public Task<Result<object>> CarryOutAsync(StaffRequest request, Caller approver, StaffContext context, CancellationToken cancellationToken) =>
        desk.LiftAsync(request, cancellationToken);
}
