using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.Lending;
using JisuDai.Lending.Customers;
using JisuDai.Lending.Documents;

namespace JisuDai.App.Staff;

/// <summary>A staff member's registered resident identity, as a keyed fingerprint of their ID number: how their own accounts as a customer are recognised.</summary>
/// <param name="Id">The staff member's subject (their own partition).</param>
/// <param name="ResidentIdFingerprint">The keyed fingerprint of their resident ID number (as customers' verifications keep it).</param>
/// <param name="ProposedBy">Who proposed registering it.</param>
/// <param name="ApprovedBy">Who approved it.</param>
/// <param name="At">When.</param>
public sealed record StaffIdentity(string Id, string ResidentIdFingerprint, string ProposedBy, string ApprovedBy, DateTimeOffset At) : ICustomerDocument
{
    /// <inheritdoc />
    public string CustomerId => Id;
}

/// <summary>A staff identity as proposed: whose, and their ID number (sealed in the request).</summary>
public sealed record StaffIdentityBody(string? IdNumber);

/// <summary>
/// No one acts on their own application or loan. Staff and customers sign in with different identities, so the
/// token's subject being the customer is only the plain case: a staff member whose resident identity is registered
/// (four eyes, <see cref="StaffIdentityPower"/>) is also recognised in any customer verified with the same ID number.
/// </summary>
public sealed class ConflictOfInterest(IDocumentStore<StaffIdentity> staff, IDocumentStore<Customer> customers, IAuditLog audit, PersonalData personalData, TimeProvider clock)
{
    /// <summary>True when customer <paramref name="customerId"/> is staff member <paramref name="staffSubject"/> themselves.</summary>
    public async Task<bool> IsOwnAsync(string staffSubject, string customerId, CancellationToken cancellationToken)
    {
        if (staffSubject == customerId)
        {
            return true;
        }

        if (!DocumentKey.IsValid(staffSubject) || !DocumentKey.IsValid(customerId)
            || await staff.FindAsync(staffSubject, staffSubject, cancellationToken) is not { Document: var member })
        {
            return false;
        }

        return (await customers.FindAsync(customerId, customerId, cancellationToken))?.Document is { Verification.IdNumber: var person } && person == member.ResidentIdFingerprint;
    }

    /// <summary>True when customer <paramref name="customerId"/> is any of <paramref name="staffSubjects"/>.</summary>
    public async Task<bool> IsOwnByAnyAsync(IEnumerable<string> staffSubjects, string customerId, CancellationToken cancellationToken)
    {
        foreach (string subject in staffSubjects.Distinct(StringComparer.Ordinal))
        {
            if (await IsOwnAsync(subject, customerId, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><paramref name="maker"/> proposes registering <paramref name="subject"/>'s resident ID number; a second admin approves.</summary>
    public async Task<Result<StaffRequest>> ProposeAsync(Caller maker, string subject, StaffIdentityBody body, FourEyes fourEyes, CancellationToken cancellationToken)
    {
        if (!DocumentKey.IsValid(subject))
        {
            return Result<StaffRequest>.NotFound($"There is no staff member {subject}.");
        }

        if (body.IdNumber is not { } idNumber || !ResidentId.IsValid(idNumber))
        {
            return Result<StaffRequest>.Invalid("idNumber", "idNumber must be an 18-character resident ID number with a valid check digit.");
        }

        string target = $"staff-identity:{subject}";
        return await fourEyes.ProposeAsync(maker, StaffPower.StaffIdentity, target, await personalData.SealAsync(idNumber.ToUpperInvariant(), DataOwners.Staff, target, cancellationToken), cancellationToken);
    }

    /// <summary>Registers an approved identity (replacing an earlier one of the same staff member).</summary>
    public async Task<Result<object>> RegisterAsync(StaffRequest request, Caller approver, CancellationToken cancellationToken)
    {
        string subject = request.Target["staff-identity:".Length..];
        string fingerprint = personalData.Fingerprint("idNumber", await personalData.OpenAsync<string>(request.Payload, request.Target, cancellationToken));
        var identity = new StaffIdentity(subject, fingerprint, request.ProposedBy, approver.Subject, clock.GetUtcNow());
        await audit.AppendAsync(StaffAction.By(approver, "register staff identity", subject, $"proposed by {request.ProposedBy}"), cancellationToken);
        if (await staff.FindAsync(subject, subject, cancellationToken) is { } earlier)
        {
            await staff.ReplaceAsync(identity, earlier.ETag, cancellationToken);
        }
        else
        {
            try
            {
                await staff.CreateAsync(identity, cancellationToken);
            }
            catch (DocumentAlreadyExistsException)
            {
                // this approval, carried out before a crash: it stands
            }
        }

        return Result<object>.Ok(new { staff = subject, registered = true, approvedBy = approver.Subject });
    }
}

/// <summary>Registering a staff member's resident identity: proposed by an admin, approved by another.</summary>
public sealed class StaffIdentityPower(ConflictOfInterest desk) : IStaffPower
{
    public StaffPower Power => StaffPower.StaffIdentity;

    public IReadOnlyList<string> ProposerRoles { get; } = [Roles.Admin];

    public IReadOnlyList<string> ApproverRoles { get; } = [Roles.Admin];

    public Task<Result<object>> CarryOutAsync(StaffRequest request, Caller approver, StaffContext context, CancellationToken cancellationToken) =>
        desk.RegisterAsync(request, approver, cancellationToken);
}
