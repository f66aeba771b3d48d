using JisuDai.App.Notifications;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using JisuDai.Functions.Notifications;
using JisuDai.Functions.Security;
using JisuDai.Lending;
using JisuDai.Risk.Checks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Risk;

/// <summary>
/// Admin endpoints for the blacklist: <c>GET /api/blacklist</c> (active entries, identifiers masked),
/// <c>POST /api/blacklist</c> (add or replace) and <c>POST /api/blacklist/remove</c>.
/// </summary>
public sealed class BlacklistFunctions(IBlacklistStore blacklist, TimeProvider clock, Authentication auth)
{
    public sealed record EntryRequest(string? Kind, string? Value, string? Source, string? Reason, DateTimeOffset? ExpiresAt);

    [Function("ListBlacklist")]
    public async Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "blacklist")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        (_, IActionResult? denied) = await auth.RequireAsync(request, Roles.Admin);
        if (denied is not null)
        {
            return denied;
        }

        var entries = await blacklist.ListActiveAsync(clock.GetUtcNow(), cancellationToken);
        return new OkObjectResult(entries.Select(e => e with { Value = Mask(e.Kind, e.Value) }));
    }

    [Function("AddToBlacklist")]
    public async Task<IActionResult> Add(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "blacklist")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        (_, IActionResult? denied) = await auth.RequireAsync(request, Roles.Admin);
        if (denied is not null)
        {
            return denied;
        }

        (EntryRequest? body, ObjectResult? problem) = await JsonBody.ReadAsync<EntryRequest>(request, new(null, null, null, null, null), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new List<DomainError>();
        if (body!.Kind is null || !Blacklist.Kinds.Contains(body.Kind))
        {
            errors.Add(new DomainError("kind", "allowed-values", $"kind must be one of {string.Join(", ", Blacklist.Kinds)}."));
        }

        foreach ((string field, string? value) in new[] { ("value", body.Value), ("source", body.Source), ("reason", body.Reason) })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Length > 200)
            {
                errors.Add(new DomainError(field, "required", $"{field} is required (at most 200 characters)."));
            }
        }

        if (body.ExpiresAt is { } expires && expires <= clock.GetUtcNow())
        {
            errors.Add(new DomainError("expiresAt", "future", "expiresAt must be in the future (or left out for no expiry)."));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        await blacklist.AddAsync(new BlacklistEntry(body.Kind!, body.Value!.Trim(), body.Source!, body.Reason!, body.ExpiresAt), cancellationToken);
        return new CreatedResult("/api/blacklist", new { kind = body.Kind, value = Mask(body.Kind!, body.Value!), body.Source, body.Reason, body.ExpiresAt });
    }

    [Function("RemoveFromBlacklist")]
    public async Task<IActionResult> Remove(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "blacklist/remove")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        (_, IActionResult? denied) = await auth.RequireAsync(request, Roles.Admin);
        if (denied is not null)
        {
            return denied;
        }

        (EntryRequest? body, ObjectResult? problem) = await JsonBody.ReadAsync<EntryRequest>(request, new(null, null, null, null, null), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Kind is null || !Blacklist.Kinds.Contains(body.Kind) || string.IsNullOrWhiteSpace(body.Value))
        {
            return Problems.Invalid([new DomainError("kind", "required", "kind and value name the entry to remove.")]);
        }

        return await blacklist.RemoveAsync(body.Kind, body.Value, cancellationToken)
            ? new NoContentResult()
            : Problems.NotFound("There is no such blacklist entry.");
    }

    static string Mask(string kind, string value) => kind switch
    {
        "phone" => PhoneMask.Mask(value),
        "name" => PersonalDataMask.Name(value),
        "idNumber" => PersonalDataMask.IdNumber(value),
        _ => value.Length > 8 ? $"{value[..4]}****{value[^4..]}" : "****",
    };
}
