using System.Text.Json;
using JisuDai.App.Results;
using JisuDai.Lending;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Decisions;

namespace JisuDai.App.Risk;

/// <summary>
/// Credit decisions for other systems: a full decision (checks, score, rules, limit and price) from a JSON request,
/// recorded once per idempotency key; and a recorded decision read back with its trace.
/// </summary>
public sealed class DecisionDesk(CreditDecisions decisions)
{
    /// <summary>Decides <paramref name="body"/> (customerId, applicationId, productCode, application, applicant, customer) under <paramref name="idempotencyKey"/>.</summary>
    public async Task<Result<Recorded<CreditDecision>>> DecideAsync(JsonElement body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        Result<DecisionCommand> command = CommandOf(body, idempotencyKey ?? "");
        if (!command.Succeeded)
        {
            return command.As<Recorded<CreditDecision>>();
        }

        return await decisions.DecideAsync(command.Value!, cancellationToken) switch
        {
            DecisionOutcome.Decided(CreditDecision decision, bool created) => Result<Recorded<CreditDecision>>.Ok(new(decision, created)),
            DecisionOutcome.Invalid(var invalid) => Result<Recorded<CreditDecision>>.Invalid(invalid),
            DecisionOutcome.KeyReused(string id) => Result<Recorded<CreditDecision>>.Conflict($"Idempotency-Key was used for another request (decision {id}); use a new key for a new request."),
            _ => Result<Recorded<CreditDecision>>.NotReady("The model is still loading or training on first start; try again shortly."),
        };
    }

    public async Task<Result<CreditDecision>> GetAsync(string id, CancellationToken cancellationToken) =>
        await decisions.FindAsync(id, cancellationToken) is { } decision ? Result<CreditDecision>.Ok(decision) : Result<CreditDecision>.NotFound($"There is no decision {id}.");

    static Result<DecisionCommand> CommandOf(JsonElement body, string idempotencyKey)
    {
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

        return errors.Count > 0
            ? Result<DecisionCommand>.Invalid(errors)
            : Result<DecisionCommand>.Ok(new DecisionCommand(idempotencyKey, Text(body, "customerId") ?? "external", Text(body, "applicationId"),
                Text(body, "productCode") ?? "express", application.Values, applicant!, customer));
    }

    static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
