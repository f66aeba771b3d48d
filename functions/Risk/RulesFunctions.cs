using JisuDai.App.Risk;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using JisuDai.Functions.Security;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Rules;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Risk;

/// <summary>
/// Admin endpoints for rule sets: <c>GET /api/rules</c> (publications, newest first, and the one in force),
/// <c>POST /api/rules/validate</c>, <c>POST /api/rules</c> (publish) and <c>POST /api/rules/rollback</c>. An invalid
/// rule set is a 400 whose errors are keyed by the JSON path of each value at fault.
/// </summary>
public sealed class RulesFunctions(IRuleSetStore store, RiskRules rules, RiskModel model, TimeProvider clock, Authentication auth)
{
    [Function("ListRuleSets")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "rules")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        (_, IActionResult? denied) = await auth.RequireAsync(request, Roles.Admin);
        if (denied is not null)
        {
            return denied;
        }

        var published = await store.ListAsync(rules.Name, cancellationToken);
        return new OkObjectResult(new { name = rules.Name, inForce = RuleSetsInForce.At(published, clock.GetUtcNow()), publications = published });
    }

    [Function("ValidateRuleSet")]
    public async Task<IActionResult> Validate(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "rules/validate")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        (_, IActionResult? denied) = await auth.RequireAsync(request, Roles.Admin);
        if (denied is not null)
        {
            return denied;
        }

        (RuleSet? ruleSet, IActionResult? problem) = await ParseAsync(request, cancellationToken);
        return problem ?? new OkObjectResult(new { valid = true, version = ruleSet!.Version, rules = ruleSet.RuleCount });
    }

    [Function("PublishRuleSet")]
    public async Task<IActionResult> Publish(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "rules")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        (_, IActionResult? denied) = await auth.RequireAsync(request, Roles.Admin);
        if (denied is not null)
        {
            return denied;
        }

        (RuleSet? ruleSet, IActionResult? problem) = await ParseAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        PublishedRuleSet published = await store.PublishAsync(ruleSet!, cancellationToken);
        rules.Invalidate();
        return new CreatedResult($"/api/rules/{published.Name}/{published.Version}", published);
    }

    [Function("RollbackRuleSet")]
    public async Task<IActionResult> Rollback(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "rules/rollback")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        (_, IActionResult? denied) = await auth.RequireAsync(request, Roles.Admin);
        if (denied is not null)
        {
            return denied;
        }

        try
        {
            PublishedRuleSet? inForce = await store.RollbackAsync(rules.Name, clock.GetUtcNow(), cancellationToken);
            rules.Invalidate();
            return new OkObjectResult(new { name = rules.Name, inForce });
        }
        catch (RuleSetStoreException e)
        {
            return Problems.Conflict(e.Message);
        }
    }

    async Task<(RuleSet?, IActionResult?)> ParseAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        FactCatalog catalog = model.Current is { } scorer ? DecisionFacts.Catalog(scorer.Features) : RuleSetCatalogs.Publishing;
        (RuleSet? ruleSet, var errors) = RuleSet.Parse(body.ToArray(), catalog);
        if (ruleSet is null)
        {
            return (null, Problems.Create(400, "The rule set is invalid.", $"{errors.Count} error(s); see errors, keyed by JSON path.",
                new Dictionary<string, object?> { ["errors"] = errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()) }));
        }

        if (ruleSet.Document.Name != rules.Name)
        {
            return (null, Problems.Invalid("name", $"this app decides with rule set '{rules.Name}' (Rules:Name); got '{ruleSet.Document.Name}'."));
        }

        return (ruleSet, null);
    }
}
