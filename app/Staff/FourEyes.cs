using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.Lending;
using JisuDai.Lending.Documents;

namespace JisuDai.App.Staff;

/// <summary>A staff request with what approving it did (when it was approved).</summary>
public sealed record StaffRequestAnswer(StaffRequest Request, object? Result);

/// <summary>
/// Maker-checker for staff powers: one person proposes (the request is checked and stored, idempotent for the same
/// proposal by the same person), a different person holding an approver role approves quoting the request's digest,
/// and only then is the power carried out, once. Requests expire after 72 hours; each change is under the request's ETag.
/// Every proposal, approval and rejection is appended to the staff audit log.
/// </summary>
public sealed class FourEyes(IDocumentStore<StaffRequest> requests, IEnumerable<IStaffPower> powers, IAuditLog audit, TimeProvider clock)
{
    readonly Dictionary<StaffPower, IStaffPower> byPower = powers.ToDictionary(p => p.Power);

    /// <summary>Stores <paramref name="maker"/>'s proposal of <paramref name="power"/> on <paramref name="target"/> with <paramref name="payload"/>, or returns the same pending one.</summary>
    public async Task<Result<StaffRequest>> ProposeAsync(Caller maker, StaffPower power, string target, string payload, CancellationToken cancellationToken)
    {
        if (!byPower[power].ProposerRoles.Any(maker.Is))
        {
            return Result<StaffRequest>.Forbidden($"Proposing a {power} needs the role {string.Join(" or ", byPower[power].ProposerRoles)}.");
        }

        DateTimeOffset now = clock.GetUtcNow();
        string digest = StaffRequest.DigestOf(power, target, payload);
        var request = new StaffRequest(StaffRequest.IdOf(maker.Subject, digest), StaffRequest.Partition, power, target, payload, digest, maker.Subject, now, now + StaffRequest.Lifetime);
        while (true)
        {
            if (await requests.FindAsync(StaffRequest.Partition, request.Id, cancellationToken) is { } existing)
            {
                if (existing.Document.StatusAt(now) != StaffRequestStatus.Expired)
                {
                    return Result<StaffRequest>.Ok(existing.Document);
                }

                try
                {
                    // The same proposal again after the first expired: a fresh request under the same id.
                    await requests.ReplaceAsync(request, existing.ETag, cancellationToken);
                    await audit.AppendAsync(StaffAction.By(maker, $"propose {power}", target, $"request {request.Id}, digest {digest}"), cancellationToken);
                    return Result<StaffRequest>.Ok(request);
                }
                catch (ConcurrencyConflictException)
                {
                    continue;
                }
            }

            try
            {
                await requests.CreateAsync(request, cancellationToken);
                await audit.AppendAsync(StaffAction.By(maker, $"propose {power}", target, $"request {request.Id}, digest {digest}"), cancellationToken);
                return Result<StaffRequest>.Ok(request);
            }
            catch (DocumentAlreadyExistsException)
            {
                // Proposed at the same moment elsewhere: read that one.
            }
        }
    }

    /// <summary>The requests waiting for a second person, oldest first (expired ones left out).</summary>
    public async Task<IReadOnlyList<StaffRequest>> PendingAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = clock.GetUtcNow();
        return (await requests.ListByCustomerAsync(StaffRequest.Partition, cancellationToken)).Select(v => v.Document)
            .Where(r => r.StatusAt(now) == StaffRequestStatus.Pending).OrderBy(r => r.ProposedAt).ToList();
    }

    /// <summary>One request, as it stands.</summary>
    public async Task<Result<StaffRequest>> GetAsync(string id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) is { } found
            ? Result<StaffRequest>.Ok(found.Document with { Status = found.Document.StatusAt(clock.GetUtcNow()) })
            : Result<StaffRequest>.NotFound($"There is no staff request {id}.");

    /// <summary>
    /// <paramref name="checker"/> approves request <paramref name="id"/>, quoting its <paramref name="digest"/>: the power
    /// is carried out and the request closed with what came of it. Approving an approved request answers it again.
    /// </summary>
    public async Task<Result<StaffRequestAnswer>> ApproveAsync(Caller checker, string id, string? digest, StaffContext context, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } found)
        {
            return Result<StaffRequestAnswer>.NotFound($"There is no staff request {id}.");
        }

        StaffRequest request = found.Document;
        DateTimeOffset now = clock.GetUtcNow();
        IStaffPower power = byPower[request.Power];
        if (request.Status == StaffRequestStatus.Approved && request.Outcome is not null)
        {
            return Result<StaffRequestAnswer>.Ok(new StaffRequestAnswer(request, null));
        }

        if (request.Status == StaffRequestStatus.Approved)
        {
            // Approved, but the approval stopped before it was carried out (a crash): its approver finishes it. Every
            // power is idempotent (a restructuring by its reference, a month's write-offs by loan), so nothing is done twice.
            if (checker.Subject != request.DecidedBy)
            {
                return Result<StaffRequestAnswer>.Conflict($"Staff request {id} was approved by {request.DecidedBy}, who is finishing it.");
            }
        }
        else
        {
            Result<StaffRequestAnswer>? refused = request.StatusAt(now) != StaffRequestStatus.Pending
                ? Result<StaffRequestAnswer>.Conflict($"Staff request {id} is {request.StatusAt(now)}; only a pending request can be approved.")
                : checker.Subject == request.ProposedBy ? Result<StaffRequestAnswer>.Forbidden("A request needs a second person: its proposer cannot approve it.")
                : !power.ApproverRoles.Any(checker.Is) ? Result<StaffRequestAnswer>.Forbidden($"Approving a {request.Power} needs the role {string.Join(" or ", power.ApproverRoles)}.")
                : digest != request.Digest ? Result<StaffRequestAnswer>.Invalid("digest", $"digest must be the request's digest ({request.Digest}): the approval is of exactly what was proposed.")
                : null;
            if (refused is not null)
            {
                return refused;
            }

            // Claimed first under its ETag, so two approvers at once carry it out once.
            try
            {
                found = await requests.ReplaceAsync(request with { Status = StaffRequestStatus.Approved, DecidedBy = checker.Subject, DecidedAt = now }, found.ETag, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                return Result<StaffRequestAnswer>.Conflict($"Staff request {id} was decided by someone else meanwhile.");
            }
        }

        await audit.AppendAsync(StaffAction.By(checker, $"approve {request.Power}", request.Target, $"request {request.Id} proposed by {request.ProposedBy}, digest {request.Digest}"), cancellationToken);
        Result<object> done = await power.CarryOutAsync(request, checker, context, cancellationToken);
        StaffRequest closed = done.Succeeded ? found.Document with { Outcome = "carried out" } : found.Document with { Status = StaffRequestStatus.Failed, Outcome = done.Detail };
        await requests.ReplaceAsync(closed, found.ETag, cancellationToken);
        return done.Succeeded ? Result<StaffRequestAnswer>.Ok(new StaffRequestAnswer(closed, done.Value)) : done.As<StaffRequestAnswer>();
    }

    /// <summary><paramref name="checker"/> turns request <paramref name="id"/> down with <paramref name="reason"/>; nothing is carried out.</summary>
    public async Task<Result<StaffRequest>> RejectAsync(Caller checker, string id, string? reason, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } found)
        {
            return Result<StaffRequest>.NotFound($"There is no staff request {id}.");
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 200)
        {
            return Result<StaffRequest>.Invalid("reason", "a rejection needs a reason (at most 200 characters).");
        }

        DateTimeOffset now = clock.GetUtcNow();
        if (found.Document.StatusAt(now) != StaffRequestStatus.Pending)
        {
            return Result<StaffRequest>.Conflict($"Staff request {id} is {found.Document.StatusAt(now)}; only a pending request can be rejected.");
        }

        if (!byPower[found.Document.Power].ApproverRoles.Any(checker.Is) && checker.Subject != found.Document.ProposedBy)
        {
            return Result<StaffRequest>.Forbidden($"Rejecting a {found.Document.Power} needs the role {string.Join(" or ", byPower[found.Document.Power].ApproverRoles)}, or to have proposed it.");
        }

        StaffRequest rejected = found.Document with { Status = StaffRequestStatus.Rejected, DecidedBy = checker.Subject, DecidedAt = now, Outcome = reason };
        try
        {
            await requests.ReplaceAsync(rejected, found.ETag, cancellationToken);
            await audit.AppendAsync(StaffAction.By(checker, $"reject {rejected.Power}", rejected.Target, $"request {id}: {reason}"), cancellationToken);
            return Result<StaffRequest>.Ok(rejected);
        }
        catch (ConcurrencyConflictException)
        {
            return Result<StaffRequest>.Conflict($"Staff request {id} was decided by someone else meanwhile.");
        }
    }

    /// <summary>The stored request <paramref name="id"/> with its version, or null (an id that is no key finds nothing).</summary>
    async Task<Versioned<StaffRequest>?> FindAsync(string id, CancellationToken cancellationToken) =>
        DocumentKey.IsValid(id) ? await requests.FindAsync(StaffRequest.Partition, id, cancellationToken) : null;
}
