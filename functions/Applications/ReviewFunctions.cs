using JisuDai.App.Applications;
using JisuDai.App.Risk;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using JisuDai.Functions.Risk;
using JisuDai.Functions.Security;
using JisuDai.Lending;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Products;
using JisuDai.Orchestrations.Approval;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace JisuDai.Functions.Applications;

/// <summary>
/// The manual-review queue: <c>GET /api/reviews</c> (oldest first, with each decision's trace) and
/// <c>POST /api/reviews/{id}/decision</c> (approve with a limit and rate within the product, or decline with a reason).
/// Two reviewers deciding at once: the first wins, the second gets 409.
/// </summary>
public sealed class ReviewFunctions(Authentication auth, IReviewQueue queue, ApplicationStore applications, CreditDecisions decisions, TimeProvider clock)
{
    public sealed record ReviewBody(bool? Approve, decimal? Amount, decimal? AnnualRate, string? Reason);

    [Function("ListReviews")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reviews")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        (_, IActionResult? denied) = await auth.RequireAsync(request, Roles.Reviewer);
        if (denied is not null)
        {
            return denied;
        }

        var items = new List<object>();
        foreach (ReviewEntry entry in (await queue.ListAsync(cancellationToken)).Where(e => e.ClaimedBy is null))
        {
            LoanApplication application = await applications.GetAsync(entry.CustomerId, entry.ApplicationId, cancellationToken);
            var decision = entry.DecisionId is { } decisionId ? await decisions.FindAsync(decisionId, cancellationToken) : null;
            items.Add(new
            {
                application = ApplicationFunctions.ApplicationView.Of(application),
                entry.Escalated,
                maskedPhone = application.MaskedPhone,
                decision = decision is null ? null : new { decision.Id, decision.Score, decision.Result, decision.Checks, decision.ModelVersion, decision.RuleSetVersion },
            });
        }

        return new OkObjectResult(items);
    }

    [Function("DecideReview")]
    public async Task<IActionResult> Decide(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "reviews/{id}/decision")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string id,
        CancellationToken cancellationToken)
    {
        (Caller? caller, IActionResult? denied) = await auth.RequireAsync(request, Roles.Reviewer);
        if (denied is not null)
        {
            return denied;
        }

        (ReviewBody? body, ObjectResult? problem) = await JsonBody.ReadAsync<ReviewBody>(request, new(null, null, null, null), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (await queue.FindAsync(id, cancellationToken) is not { } entry)
        {
            return Problems.NotFound($"Application {id} is not waiting for review.");
        }

        if (entry.ClaimedBy is { } by)
        {
            return Problems.Conflict($"Reviewer {by} has already decided application {id}.");
        }

        LoanApplication application = await applications.GetAsync(entry.CustomerId, entry.ApplicationId, cancellationToken);
        var errors = Check(body!, application);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        if (!await queue.ClaimAsync(entry, caller!.Subject, cancellationToken))
        {
            return Problems.Conflict($"Another reviewer has already decided application {id}.");
        }

        await durable.RaiseEventAsync(id, LoanApprovalOrchestrator.ReviewEvent,
            new ReviewDecision(body!.Approve!.Value, body.Amount ?? 0, body.AnnualRate ?? 0, body.Reason, caller.Subject), cancellationToken);
        return new AcceptedResult($"/api/applications/{id}", new { id, decided = body.Approve.Value ? "approve" : "decline", statusUrl = $"/api/applications/{id}" });
    }

    List<DomainError> Check(ReviewBody body, LoanApplication application)
    {
        var errors = new List<DomainError>();
        if (body.Approve is null)
        {
            errors.Add(new DomainError("approve", "required", "approve is required: true to approve, false to decline."));
            return errors;
        }

        if (body.Approve == false)
        {
            if (string.IsNullOrWhiteSpace(body.Reason) || body.Reason.Length > 100)
            {
                errors.Add(new DomainError("reason", "required", "a decline needs a reason (at most 100 characters)."));
            }

            return errors;
        }

        if (body.Amount is null || body.AnnualRate is null)
        {
            errors.Add(new DomainError(body.Amount is null ? "amount" : "annualRate", "required", "an approval needs amount and annualRate."));
            return errors;
        }

        LoanProduct product = ProductCatalog.All[application.ProductCode];
        errors.AddRange(Offers.Price(product, new OfferRequest(body.Amount.Value, application.TermMonths, body.AnnualRate.Value, product.Methods[0],
            LenderCalendar.Today(clock))).Errors.Where(e => e.Field is "amount" or "annualRate"));
        return errors;
    }
}
