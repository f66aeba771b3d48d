using System.Text.Json;
using JisuDai.App.Risk;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using JisuDai.Functions.Security;
using JisuDai.Lending;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Decisions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Risk;

/// <summary>
/// <c>POST /api/risk/decide</c>: a full credit decision for other systems (checks, score, rules, limit and price), recorded
/// once per <c>Idempotency-Key</c>; <c>GET /api/decisions/{id}</c>: a recorded decision with its trace.
/// </summary>
public sealed class DecisionFunctions(CreditDecisions decisions, Authentication auth)
{
    [Function("DecideApplication")]
    public async Task<IActionResult> Decide(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "risk/decide")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        (_, IActionResult? denied) = await auth.RequireAsync(request, Roles.Reviewer);
        if (denied is not null)
        {
            return denied;
        }

        (JsonElement body, ObjectResult? problem) = await JsonBody.ReadObjectAsync(request, "a JSON object with application and applicant", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new List<DomainError>();
        ApplicationFields application = body.TryGetProperty("application", out JsonElement a) && a.ValueKind == JsonValueKind.Object
            ? ApplicationFields.From(a)
            : new ApplicationFields(new Dictionary<string, string?>(), [new DomainError("application", "required", "application must be an object of application fields.")]);
        errors.AddRange(application.Errors);
        ApplicantIdentity? applicant = null;
        if (body.TryGetProperty("applicant", out JsonElement who) && who.ValueKind == JsonValueKind.Object)
        {
            applicant = new ApplicantIdentity(Text(who, "idNumber") ?? "", Text(who, "phone") ?? "", Text(who, "name") ?? "", Text(who, "deviceId"), Text(who, "ip"));
        }
        else
        {
            errors.Add(new DomainError("applicant", "required", "applicant must be an object with idNumber, phone, name, deviceId and ip."));
        }

        CustomerHistory? customer = null;
        if (body.TryGetProperty("customer", out JsonElement c) && c.ValueKind == JsonValueKind.Object)
        {
            customer = new CustomerHistory(c.TryGetProperty("behaviourScore", out JsonElement s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : null);
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var command = new DecisionCommand(
            request.Headers["Idempotency-Key"].ToString(), Text(body, "customerId") ?? "external", Text(body, "applicationId"),
            Text(body, "productCode") ?? "express", application.Values, applicant!, customer);
        switch (await decisions.DecideAsync(command, cancellationToken))
        {
            case DecisionOutcome.Decided(CreditDecision decision, bool created):
                string location = $"/api/decisions/{decision.Id}";
                return created ? new CreatedResult(location, decision) : new OkObjectResult(decision);
            case DecisionOutcome.Invalid(var invalid):
                return Problems.Invalid(invalid);
            case DecisionOutcome.KeyReused(string id):
                return Problems.Conflict($"Idempotency-Key was used for another request (decision {id}); use a new key for a new request.");
            default:
                return Problems.ModelNotReady(request.HttpContext.Response);
        }
    }

    [Function("GetDecision")]
    public async Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "decisions/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken)
    {
        (_, IActionResult? denied) = await auth.RequireAsync(request, Roles.Reviewer);
        return denied ?? (await decisions.FindAsync(id, cancellationToken) is { } decision
            ? new OkObjectResult(decision)
            : Problems.NotFound($"There is no decision {id}."));
    }

    static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
