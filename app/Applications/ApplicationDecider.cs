using System.Collections.Concurrent;
using JisuDai.App.Risk;
using JisuDai.App.Security;
using JisuDai.Lending;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Customers;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;
using JisuDai.Risk.Bureau;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Decisions;
namespace JisuDai.App.Applications;

/// <summary>Decides an application with the credit-decision service, keyed by the application so a retry decides once.</summary>
/// <remarks>
/// A returning customer is decided with the behaviour score of the loans they already have, as of the day they
/// applied. While lending is halted an approval is referred (reason LENDING_HALTED), and so is one beyond a daily cap
/// on approvals for its product or rule set (reason DAILY_CAP_REACHED). Two asks to decide one application at once in
/// this process (the submission's, past its budget, and its approval's) share one decision: the second waits for the
/// first instead of asking the credit bureau again and racing it to the records.
/// </remarks>
public sealed class ApplicationDecider(ApplicationStore applications, CreditDecisions decisions, PersonalData personalData, IDocumentStore<Loan> loans, Staff.ILendingHaltStore halt,
    Staff.DailyCapDesk caps, Bureau.CreditReports bureau) : IApplicationDecider
{
    readonly ConcurrentDictionary<string, Task<ApprovalDecision>> deciding = new(StringComparer.Ordinal);

    public async Task<ApprovalDecision> DecideAsync(string customerId, string applicationId, CancellationToken cancellationToken)
    {
        if (deciding.TryGetValue(applicationId, out Task<ApprovalDecision>? underway))
        {
            return await underway.WaitAsync(cancellationToken);
        }

        LoanApplication application = await applications.GetAsync(customerId, applicationId, cancellationToken);
        return await DecideAsync(application, await personalData.OpenAsync<ApplicantIdentitySealed>(application.ProtectedIdentity, application.Id, cancellationToken), cancellationToken);
    }

    public async Task<ApprovalDecision> DecideAsync(LoanApplication application, ApplicantIdentitySealed identity, CancellationToken cancellationToken)
    {
        var mine = new TaskCompletionSource<ApprovalDecision>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<ApprovalDecision> shared = deciding.GetOrAdd(application.Id, mine.Task);
        if (shared != mine.Task)
        {
            return await shared.WaitAsync(cancellationToken);
        }

        try
        {
            ApprovalDecision decided = await DecideOnceAsync(application, identity, cancellationToken);
            mine.SetResult(decided);
            return decided;
        }
        catch (Exception e)
        {
            // Those waiting on this attempt see its failure and retry as they would their own.
            mine.SetException(e);
            _ = mine.Task.Exception;
            throw;
        }
        finally
        {
            deciding.TryRemove(new KeyValuePair<string, Task<ApprovalDecision>>(application.Id, mine.Task));
        }
    }

    async Task<ApprovalDecision> DecideOnceAsync(LoanApplication application, ApplicantIdentitySealed identity, CancellationToken cancellationToken)
    {
        string customerId = application.CustomerId;
        IReadOnlyList<Versioned<Loan>> history = await loans.ListByCustomerAsync(customerId, cancellationToken);
        CustomerHistory? customer = history.Count == 0 ? null
            : new CustomerHistory(BehaviourScore.Of(history.Select(v => v.Document), LenderCalendar.DateOf(application.SubmittedAt)).Score);
        BureauFindings findings = await bureau.ForAsync(application, identity, cancellationToken);
        DecisionOutcome outcome = await decisions.DecideAsync(new DecisionCommand(
            $"application:{application.Id}", customerId, application.Id, application.ProductCode, application.Fields ?? new Dictionary<string, string?>(),
            new ApplicantIdentity(identity.IdNumber, identity.Phone, identity.Name, identity.DeviceId, identity.Ip), customer, application.ProductTerms(), identity.BankAccount, findings), cancellationToken);
        CreditDecision? recorded = (outcome as DecisionOutcome.Decided)?.Decision;
        ApprovalDecision decided = outcome switch
        {
            DecisionOutcome.Decided(CreditDecision d, _) => new ApprovalDecision(d.Result.Outcome, d.Id, d.Result.OfferAmount, d.Result.TermMonths, d.Result.AnnualRate,
                d.Result.Reasons.Count > 0 || d.Result.Outcome == CreditOutcome.Approve ? d.Result.Reasons : d.Score.Reasons.Select(r => r.Code).ToList(),
                d.Result.Outcome == CreditOutcome.Approve ? OfferOf(application.ProductTerms(), d) : null),
            DecisionOutcome.Invalid(var errors) => new ApprovalDecision(CreditOutcome.Decline, "", 0, 0, 0, [$"INVALID_APPLICATION: {string.Join("; ", errors.Select(e => e.Field))}"]),
            DecisionOutcome.NotReady => throw new InvalidOperationException("The risk model is not loaded yet; the activity will retry."),
            _ => throw new InvalidOperationException($"Application {application.Id}'s decision key was reused; this is a bug."),
        };

        if (decided.Outcome != CreditOutcome.Approve)
        {
            return decided;
        }

        // While lending is halted nothing is approved, nor beyond the day's cap: what the engine approved waits for a reviewer instead.
        if ((await halt.GetAsync(cancellationToken)).Halted)
        {
            return decided with { Outcome = CreditOutcome.Review, Offer = null, Reasons = [.. decided.Reasons, "LENDING_HALTED"] };
        }

        return await caps.CountApprovalAsync(application.Id, application.ProductCode, recorded!.RuleSetName, recorded.Arm ?? JisuDai.Risk.Models.ModelArms.Champion, recorded.On, cancellationToken) is null
            ? decided
            : decided with { Outcome = CreditOutcome.Review, Offer = null, Reasons = [.. decided.Reasons, "DAILY_CAP_REACHED"] };
    }

    /// <summary>The approved terms priced at the decision date, by the same function the engine's APR check used.</summary>
    static PricedOffer OfferOf(LoanProduct product, CreditDecision decision)
    {
        Outcome<PricedOffer> offer = Offers.Price(product, Offers.TermsFor(product, decision.Result.OfferAmount, decision.Result.TermMonths, decision.Result.AnnualRate), decision.On);
        return offer.Value ?? throw new InvalidOperationException(
            $"Decision {decision.Id} approved terms that do not price under {product.Code}: {string.Join(" ", offer.Errors.Select(e => e.Message))}");
    }
}
