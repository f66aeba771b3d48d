using JisuDai.App.Loans;
using JisuDai.App.Results;
using JisuDai.App.Security;

namespace JisuDai.App.Staff;

/// <summary>What a staff request's approval acts with besides the request: the loans' lifecycles to tell of a change, the approvals to tell of a decision.</summary>
public sealed record StaffContext(IRepaymentLifecycle Lifecycle, Applications.IApprovalWorkflow Approvals);

/// <summary>One staff power: who may propose it, who may approve it, and what approving it does.</summary>
public interface IStaffPower
{
    /// <summary>The power.</summary>
    StaffPower Power { get; }

    /// <summary>A role that may propose it.</summary>
    IReadOnlyList<string> ProposerRoles { get; }

    /// <summary>A role that may approve it (never the proposer).</summary>
    IReadOnlyList<string> ApproverRoles { get; }

    /// <summary>Carries out an approved request; a refusal means it could not be done now and nothing changed.</summary>
    Task<Result<object>> CarryOutAsync(StaffRequest request, Caller approver, StaffContext context, CancellationToken cancellationToken);
}
