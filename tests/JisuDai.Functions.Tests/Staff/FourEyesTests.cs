using Azure.Data.Tables;
using JisuDai.Adapters.Storage;
using JisuDai.App.Loans;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Lending.Loans;
using JisuDai.Tests;
using Microsoft.Extensions.Time.Testing;

namespace JisuDai.Functions.Tests.Staff;

/// <summary>Maker-checker: a staff power is carried out only when a second person approves exactly what was proposed, in time, once.</summary>
public sealed class FourEyesTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    /// <summary>A power that counts what it was asked to do.</summary>
    sealed class CountingPower : IStaffPower
    {
        public List<(string Target, string Approver)> CarriedOut { get; } = [];

        public StaffPower Power => StaffPower.Restructuring;

        public IReadOnlyList<string> ProposerRoles { get; } = [Roles.Reviewer];

        public IReadOnlyList<string> ApproverRoles { get; } = [Roles.Admin];

        public Task<Result<object>> CarryOutAsync(StaffRequest request, Caller approver, StaffContext context, CancellationToken cancellationToken)
        {
            lock (CarriedOut)
            {
                CarriedOut.Add((request.Target, approver.Subject));
            }

            return Task.FromResult(Result<object>.Ok("done"));
        }
    }

    sealed class NoLifecycle : IRepaymentLifecycle
    {
        public Task LoanChangedAsync(string loanId, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    static readonly StaffContext Context = new(new NoLifecycle(), Approvals: null!); // the test power tells no approval
    static Caller Staff(string subject, params string[] roles) => new(subject, roles.ToHashSet());

    (FourEyes FourEyes, CountingPower Power, FakeTimeProvider Clock) Compose()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero));
        var power = new CountingPower();
        var store = new TableDocumentStore<StaffRequest>(new TableServiceClient(azurite.Server.ConnectionString), $"staff{Guid.NewGuid():N}"[..20]);
        var audit = new JisuDai.Adapters.Staff.BlobAuditLog(new Azure.Storage.Blobs.BlobServiceClient(azurite.Server.ConnectionString), clock);
        return (new FourEyes(store, [power], audit, clock), power, clock);
    }

    [Fact]
    public async Task Only_a_second_person_with_the_approver_role_quoting_the_digest_carries_a_proposal_out_once()
    {
        var (fourEyes, power, _) = Compose();
        Caller maker = Staff("rev-1", Roles.Reviewer);
        StaffRequest request = (await fourEyes.ProposeAsync(maker, StaffPower.Restructuring, "loan-1.c-1", """{"annualRate":0.1}""", default)).Value!;
        Assert.Equal(request, (await fourEyes.ProposeAsync(maker, StaffPower.Restructuring, "loan-1.c-1", """{"annualRate":0.1}""", default)).Value);
        Assert.Equal([request.Id], (await fourEyes.PendingAsync(default)).Select(r => r.Id));

        Assert.Equal(Refusal.Forbidden, (await fourEyes.ApproveAsync(Staff("rev-1", Roles.Reviewer, Roles.Admin), request.Id, request.Digest, Context, default)).Refused);
        Assert.Equal(Refusal.Forbidden, (await fourEyes.ApproveAsync(Staff("rev-2", Roles.Reviewer), request.Id, request.Digest, Context, default)).Refused);
        Assert.Equal(Refusal.Invalid, (await fourEyes.ApproveAsync(Staff("adm-1", Roles.Admin), request.Id, "0000", Context, default)).Refused);
        Assert.Empty(power.CarriedOut);

        Result<StaffRequestAnswer>[] both = await Task.WhenAll(
            fourEyes.ApproveAsync(Staff("adm-1", Roles.Admin), request.Id, request.Digest, Context, default),
            fourEyes.ApproveAsync(Staff("adm-2", Roles.Admin), request.Id, request.Digest, Context, default));
        Assert.Single(power.CarriedOut);
        Assert.Contains(both, r => r.Succeeded && r.Value!.Request.Status == StaffRequestStatus.Approved);
        StaffRequest closed = (await fourEyes.GetAsync(request.Id, default)).Value!;
        Assert.Equal((StaffRequestStatus.Approved, "carried out"), (closed.Status, closed.Outcome));
        Assert.Empty(await fourEyes.PendingAsync(default));
        // Approving it again answers it again and does nothing more.
        Assert.True((await fourEyes.ApproveAsync(Staff("adm-3", Roles.Admin), request.Id, request.Digest, Context, default)).Succeeded);
        Assert.Single(power.CarriedOut);
    }

    [Fact]
    public async Task A_request_expires_after_72_hours_and_a_rejected_one_is_never_carried_out()
    {
        var (fourEyes, power, clock) = Compose();
        StaffRequest late = (await fourEyes.ProposeAsync(Staff("rev-1", Roles.Reviewer), StaffPower.Restructuring, "loan-1.c-1", "{}", default)).Value!;
        StaffRequest turnedDown = (await fourEyes.ProposeAsync(Staff("rev-1", Roles.Reviewer), StaffPower.Restructuring, "loan-2.c-2", "{}", default)).Value!;
        Assert.Equal(Refusal.Invalid, (await fourEyes.RejectAsync(Staff("adm-1", Roles.Admin), turnedDown.Id, " ", default)).Refused);
        Assert.True((await fourEyes.RejectAsync(Staff("adm-1", Roles.Admin), turnedDown.Id, "rate below policy", default)).Succeeded);

        clock.Advance(TimeSpan.FromHours(72));
        Assert.Equal(StaffRequestStatus.Expired, (await fourEyes.GetAsync(late.Id, default)).Value!.Status);
        Assert.Equal(Refusal.Conflict, (await fourEyes.ApproveAsync(Staff("adm-1", Roles.Admin), late.Id, late.Digest, Context, default)).Refused);
        Assert.Equal(Refusal.Conflict, (await fourEyes.ApproveAsync(Staff("adm-1", Roles.Admin), turnedDown.Id, turnedDown.Digest, Context, default)).Refused);
        Assert.Empty(power.CarriedOut);
        Assert.Empty(await fourEyes.PendingAsync(default));

        // Proposed again after it expired: a fresh request, which can be approved.
        StaffRequest again = (await fourEyes.ProposeAsync(Staff("rev-1", Roles.Reviewer), StaffPower.Restructuring, "loan-1.c-1", "{}", default)).Value!;
        Assert.Equal((late.Id, StaffRequestStatus.Pending), (again.Id, again.Status));
        Assert.True((await fourEyes.ApproveAsync(Staff("adm-1", Roles.Admin), again.Id, again.Digest, Context, default)).Succeeded);
        Assert.Equal([("loan-1.c-1", "adm-1")], power.CarriedOut);
    }
}
