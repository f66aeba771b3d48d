using System.Text.Json;
using System.Text.Json.Serialization;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.Lending;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Products;
using JisuDai.Risk.Models;

namespace JisuDai.App.Staff;

/// <summary>What a daily cap counts within.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CapScope>))]
public enum CapScope
{
    /// <summary>A product (key: its code).</summary>
    Product,
    /// <summary>A rule set, every version of it (key: its name).</summary>
    RuleSet,
    /// <summary>A champion/challenger arm, whichever model is in it (key: champion or challenger): caps what an experiment can lend.</summary>
    ModelArm,
}

/// <summary>A cap on one scope for one lender's day: approvals, money paid out, or both (null: that is not capped).</summary>
/// <param name="Scope">What it counts within.</param>
/// <param name="Key">Which product, rule set or arm.</param>
/// <param name="MaxApprovals">Applications approved by the engine that day, at most.</param>
/// <param name="MaxPaidOut">Yuan paid out that day (what the borrowers receive), at most.</param>
public sealed record DailyCap(CapScope Scope, string Key, int? MaxApprovals, decimal? MaxPaidOut)
{
    /// <summary>The tally's counter for <paramref name="measure"/> in this cap's scope.</summary>
    public string CounterOf(string measure) => $"{measure}|{Scope}|{Key}";
}

/// <summary>The caps in force: replaced whole, each change through four eyes, numbered.</summary>
/// <param name="Caps">Every cap.</param>
/// <param name="Version">How many changes were approved (0: never set).</param>
/// <param name="ProposedBy">Who proposed the change in force.</param>
/// <param name="ApprovedBy">Who approved it.</param>
public sealed record DailyCaps(IReadOnlyList<DailyCap> Caps, int Version = 0, string? ProposedBy = null, string? ApprovedBy = null)
{
    /// <summary>No caps: as lending runs before any are set.</summary>
    public static readonly DailyCaps None = new([]);
}

/// <summary>Where the caps in force are kept.</summary>
public interface IDailyCapStore
{
    Task<DailyCaps> GetAsync(CancellationToken cancellationToken);

    Task SetAsync(DailyCaps caps, CancellationToken cancellationToken);
}

/// <summary>What counting against caps came to.</summary>
/// <param name="Counted">True when counted now or before (the same holder on the same day counts once).</param>
/// <param name="Reached">When not counted: the counter whose cap it would pass.</param>
public sealed record TallyResult(bool Counted, string? Reached = null);

/// <summary>One counter and the most it may reach.</summary>
public sealed record TallyLimit(string Counter, decimal Max);

/// <summary>The day's counts against the caps.</summary>
public interface IDailyTally
{
    /// <summary>
    /// Adds <paramref name="amount"/> to every counter of <paramref name="limits"/> on <paramref name="day"/>, for
    /// <paramref name="holder"/> under <paramref name="measure"/>, all or none: refused when one would pass its most. A
    /// holder counted before on that day under that measure is answered Counted and adds nothing.
    /// </summary>
    Task<TallyResult> TryCountAsync(DateOnly day, string measure, string holder, decimal amount, IReadOnlyList<TallyLimit> limits, CancellationToken cancellationToken);

    /// <summary>Every counter of <paramref name="day"/> and its total.</summary>
    Task<IReadOnlyDictionary<string, decimal>> ReadAsync(DateOnly day, CancellationToken cancellationToken);
}

/// <summary>A change of the caps as proposed: the caps wanted, and the version they replace.</summary>
public sealed record DailyCapsBody(IReadOnlyList<DailyCap?>? Caps, int? Version);

/// <summary>The caps in force and today's counts.</summary>
public sealed record DailyCapsView(DailyCaps Caps, DateOnly Day, IReadOnlyDictionary<string, decimal> Today);

/// <summary>
/// Daily caps per product, per rule set and per champion/challenger arm on approvals and on money paid out: an approval the engine makes beyond a
/// cap is referred to a reviewer instead (reason DAILY_CAP_REACHED), and a payout beyond one waits, retried, until a
/// day with room. Counted once per application and day, all of an application's caps at once. Changing the caps is
/// four eyes (<see cref="DailyCapsPower"/>), proposed against the version in force.
/// </summary>
public sealed class DailyCapDesk(IDailyCapStore store, IDailyTally tally, IAuditLog audit, Risk.CreditDecisions decisions, Products.LoanProducts products, TimeProvider clock)
{
    /// <summary>The measure approvals count under.</summary>
    public const string Approvals = "approvals";

    /// <summary>The measure payouts count under (yuan).</summary>
    public const string PaidOut = "paid-out";

    public async Task<DailyCapsView> GetAsync(CancellationToken cancellationToken)
    {
        DateOnly today = LenderCalendar.Today(clock);
        // The tally keeps other day counts too (sign-in codes per address); the caps' view shows only what caps count.
        IReadOnlyDictionary<string, decimal> counts = await tally.ReadAsync(today, cancellationToken);
        return new DailyCapsView(await store.GetAsync(cancellationToken), today,
            counts.Where(c => c.Key.StartsWith($"{Approvals}|", StringComparison.Ordinal) || c.Key.StartsWith($"{PaidOut}|", StringComparison.Ordinal)).ToDictionary());
    }

    /// <summary><paramref name="maker"/> proposes replacing the caps with <paramref name="body"/>'s; a second admin approves.</summary>
    public async Task<Result<StaffRequest>> ProposeAsync(Caller maker, DailyCapsBody body, FourEyes fourEyes, CancellationToken cancellationToken)
    {
        var codes = (await products.PublicationsAsync(cancellationToken)).Select(p => p.Product.Code).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<DomainError> errors = Check(body, codes);
        if (errors.Count > 0)
        {
            return Result<StaffRequest>.Invalid(errors);
        }

        DailyCaps current = await store.GetAsync(cancellationToken);
        if (body.Version != current.Version)
        {
            return Result<StaffRequest>.Conflict($"The caps in force are version {current.Version}; propose against it (version {body.Version} was given).");
        }

        var proposed = new DailyCaps(body.Caps!.Select(c => c!).ToList(), current.Version);
        return await fourEyes.ProposeAsync(maker, StaffPower.DailyCapsChange, "daily-caps", JsonSerializer.Serialize(proposed, StaffRequest.PayloadJson), cancellationToken);
    }

    /// <summary>Puts an approved change in force, unless the caps changed since it was proposed.</summary>
    public async Task<Result<object>> ApplyAsync(StaffRequest request, Caller approver, CancellationToken cancellationToken)
    {
        DailyCaps proposed = JsonSerializer.Deserialize<DailyCaps>(request.Payload, StaffRequest.PayloadJson)!;
        DailyCaps current = await store.GetAsync(cancellationToken);
        if (current.Version != proposed.Version)
        {
            return current.Version == proposed.Version + 1 && current.ApprovedBy == approver.Subject && current.Caps.SequenceEqual(proposed.Caps)
                ? Result<object>.Ok(current) // this approval, finished before a crash
                : Result<object>.Conflict($"The caps changed since this was proposed (now version {current.Version}, proposed against {proposed.Version}); propose again.");
        }

        var next = proposed with { Version = current.Version + 1, ProposedBy = request.ProposedBy, ApprovedBy = approver.Subject };
        await store.SetAsync(next, cancellationToken);
        await audit.AppendAsync(StaffAction.By(approver, "set daily caps", "daily-caps", $"version {next.Version}: {next.Caps.Count} caps, proposed by {request.ProposedBy}"), cancellationToken);
        return Result<object>.Ok(next);
    }

    /// <summary>
    /// Counts an approval of <paramref name="applicationId"/> under <paramref name="productCode"/>, rule set
    /// <paramref name="ruleSetName"/> and model arm <paramref name="arm"/> on <paramref name="day"/>; the cap it would pass,
    /// or null when it fits (or no cap applies).
    /// </summary>
    public async Task<string?> CountApprovalAsync(string applicationId, string productCode, string ruleSetName, string arm, DateOnly day, CancellationToken cancellationToken) =>
        await CountAsync(await store.GetAsync(cancellationToken), Approvals, applicationId, productCode, ruleSetName, arm, day, 1m, c => c.MaxApprovals, cancellationToken);

    /// <summary>
    /// Counts the payout of <paramref name="amount"/> to <paramref name="application"/> today; the cap it would pass, or
    /// null. The rule set and arm that approved it are read from its decision only when a rule set's or an arm's payouts are capped.
    /// </summary>
    public async Task<string?> CountPayoutAsync(LoanApplication application, decimal amount, CancellationToken cancellationToken)
    {
        DailyCaps caps = await store.GetAsync(cancellationToken);
        JisuDai.Risk.Decisions.CreditDecision? decision = caps.Caps.Any(c => c.Scope is (CapScope.RuleSet or CapScope.ModelArm) && c.MaxPaidOut is not null)
            && application.DecisionId is { } decisionId ? await decisions.FindAsync(decisionId, cancellationToken) : null;
        return await CountAsync(caps, PaidOut, application.Id, application.ProductCode, decision?.RuleSetName ?? "", decision?.Arm ?? ModelArms.Champion,
            LenderCalendar.Today(clock), amount, c => c.MaxPaidOut, cancellationToken);
    }

    async Task<string?> CountAsync(DailyCaps caps, string measure, string applicationId, string productCode, string ruleSetName, string arm, DateOnly day, decimal amount,
        Func<DailyCap, decimal?> maxOf, CancellationToken cancellationToken)
    {
        var limits = caps.Caps
            .Where(c => (c.Scope == CapScope.Product && c.Key == productCode) || (c.Scope == CapScope.RuleSet && c.Key == ruleSetName) || (c.Scope == CapScope.ModelArm && c.Key == arm))
            .Where(c => maxOf(c) is not null)
            .Select(c => new TallyLimit(c.CounterOf(measure), maxOf(c)!.Value))
            .ToList();
        if (limits.Count == 0)
        {
            return null;
        }

        TallyResult result = await tally.TryCountAsync(day, measure, applicationId, amount, limits, cancellationToken);
        return result.Counted ? null : result.Reached;
    }

    static IReadOnlyList<DomainError> Check(DailyCapsBody body, IReadOnlySet<string> productCodes)
    {
        var errors = new List<DomainError>();
        if (body.Version is null)
        {
            errors.Add(new("version", "required", "version is required: the version of the caps in force this replaces (0 before any were set)."));
        }

        if (body.Caps is null || body.Caps.Count > 100)
        {
            errors.Add(new("caps", "required", "caps is required: a list of at most 100 caps (empty lifts every cap)."));
            return errors;
        }

        for (int i = 0; i < body.Caps.Count; i++)
        {
            string at = $"caps[{i}]";
            if (body.Caps[i] is not { } cap)
            {
                errors.Add(new(at, "required", $"{at} is empty."));
                continue;
            }

            if (!Enum.IsDefined(cap.Scope))
            {
                errors.Add(new($"{at}.scope", "scope-known", $"{at}.scope must be Product, RuleSet or ModelArm."));
            }
            else if (cap.Scope switch
            {
                CapScope.Product => !productCodes.Contains(cap.Key ?? ""),
                CapScope.ModelArm => cap.Key is not (ModelArms.Champion or ModelArms.Challenger),
                _ => !DocumentKey.IsValid(cap.Key),
            })
            {
                errors.Add(new($"{at}.key", "key-known", cap.Scope switch
                {
                    CapScope.Product => $"{at}.key must be a product's code ({string.Join(", ", productCodes.Order(StringComparer.Ordinal))}).",
                    CapScope.ModelArm => $"{at}.key must be {ModelArms.Champion} or {ModelArms.Challenger}.",
                    _ => $"{at}.key must be a rule set's name.",
                }));
            }

            if (cap.MaxApprovals is null && cap.MaxPaidOut is null)
            {
                errors.Add(new(at, "cap-something", $"{at} needs maxApprovals, maxPaidOut or both."));
            }

            if (cap.MaxApprovals < 0)
            {
                errors.Add(new($"{at}.maxApprovals", "not-negative", $"{at}.maxApprovals must be 0 or more."));
            }

            if (cap.MaxPaidOut is { } paidOut && (paidOut < 0 || decimal.Round(paidOut, 2) != paidOut))
            {
                errors.Add(new($"{at}.maxPaidOut", "not-negative-fen", $"{at}.maxPaidOut must be 0 or more, in whole fen."));
            }

            if (body.Caps.Take(i).Any(c => c is not null && c.Scope == cap.Scope && c.Key == cap.Key))
            {
                errors.Add(new($"{at}.key", "scope-once", $"{at} caps {cap.Scope} {cap.Key} a second time."));
            }
        }

        return errors;
    }
}

/// <summary>Changing the daily caps: proposed by an admin, approved by another admin.</summary>
public sealed class DailyCapsPower(DailyCapDesk desk) : IStaffPower
{
    public StaffPower Power => StaffPower.DailyCapsChange;

    public IReadOnlyList<string> ProposerRoles { get; } = [Roles.Admin];

    public IReadOnlyList<string> ApproverRoles { get; } = [Roles.Admin];

    public Task<Result<object>> CarryOutAsync(StaffRequest request, Caller approver, StaffContext context, CancellationToken cancellationToken) =>
        desk.ApplyAsync(request, approver, cancellationToken);
}
