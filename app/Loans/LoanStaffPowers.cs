using System.Text.Json;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.App.Staff;

namespace JisuDai.App.Loans;

/// <summary>Restructuring a loan: proposed by staff (reviewer), approved by another (reviewer or admin).</summary>
public sealed class RestructuringPower(RestructuringDesk desk) : IStaffPower
{
    public StaffPower Power => StaffPower.Restructuring;

    public IReadOnlyList<string> ProposerRoles { get; } = [Roles.Reviewer];

    public IReadOnlyList<string> ApproverRoles { get; } = [Roles.Reviewer];

    public async Task<Result<object>> CarryOutAsync(StaffRequest request, Caller approver, StaffContext context, CancellationToken cancellationToken)
    {
        RestructuringBody body = JsonSerializer.Deserialize<RestructuringBody>(request.Payload, StaffRequest.PayloadJson)!;
        var maker = new Caller(request.ProposedBy, new HashSet<string> { Roles.Reviewer });
        Result<Recorded<RestructuringAnswer>> done = await desk.RestructureAsync(maker, approver.Subject, request.Target, body, context.Lifecycle, cancellationToken);
        return done.Succeeded ? Result<object>.Ok(done.Value!.Value) : done.As<object>();
    }
}

/// <summary>Approving a month's write-offs: proposed by an admin (with loans to leave out), approved by another admin.</summary>
public sealed class WriteOffApprovalPower(WriteOffDesk desk) : IStaffPower
{
    public StaffPower Power => StaffPower.WriteOffApproval;

    public IReadOnlyList<string> ProposerRoles { get; } = [Roles.Admin];

    public IReadOnlyList<string> ApproverRoles { get; } = [Roles.Admin];

    public async Task<Result<object>> CarryOutAsync(StaffRequest request, Caller approver, StaffContext context, CancellationToken cancellationToken)
    {
        WriteOffApprovalBody body = JsonSerializer.Deserialize<WriteOffApprovalBody>(request.Payload, StaffRequest.PayloadJson)!;
        Result<WriteOffProposal> done = await desk.ApproveAsync(approver, request.ProposedBy, request.Target, body.Exclude ?? [], context.Lifecycle, cancellationToken);
        return done.Succeeded ? Result<object>.Ok(done.Value!) : done.As<object>();
    }
}

/// <summary>Recording an offline payment: proposed by staff (reviewer), approved by an admin who is not the proposer.</summary>
public sealed class OfflinePaymentPower(LoanServicing servicing) : IStaffPower
{
    public StaffPower Power => StaffPower.OfflinePayment;

    public IReadOnlyList<string> ProposerRoles { get; } = [Roles.Reviewer];

    public IReadOnlyList<string> ApproverRoles { get; } = [Roles.Admin];

    public async Task<Result<object>> CarryOutAsync(StaffRequest request, Caller approver, StaffContext context, CancellationToken cancellationToken)
    {
        OfflinePayment payment = JsonSerializer.Deserialize<OfflinePayment>(request.Payload, StaffRequest.PayloadJson)!;
        Result<Recorded<RepaymentResult>> done = await servicing.RecordOfflineAsync(request.ProposedBy, approver.Subject, request.Target, payment, context.Lifecycle, cancellationToken);
        return done.Succeeded ? Result<object>.Ok(done.Value!.Value) : done.As<object>();
    }
}
