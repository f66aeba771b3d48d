using JisuDai.App.Security;
using JisuDai.Functions.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace JisuDai.Functions.Http;

/// <summary>
/// The preamble every HTTP function shares, done once and the same way in both hosts: find the caller (401 without
/// valid credentials, 403 without one of the roles), read the JSON body (400 naming the field), then hand over to the
/// function's one call.
/// </summary>
public sealed class CallerGate(Authentication auth, RequestLimits limits)
{
    /// <summary>Runs <paramref name="handle"/> for a caller with one of <paramref name="roles"/>, within <paramref name="limit"/> when there is one (429 beyond it).</summary>
    public async Task<IActionResult> RunAsync(HttpRequest request, string[] roles, Func<Caller, Task<IActionResult>> handle, RequestLimit? limit = null)
    {
        (Caller? caller, IActionResult? denied) = await auth.RequireAsync(request, roles);
        if (denied is not null)
        {
            return denied;
        }

        if (limit is not null && limits.Refuse(request, limit, caller!.Subject) is { } tooMany)
        {
            return tooMany;
        }

        // The address is the connection's, as the host sees it, never one the caller states.
        return await handle(caller! with { Address = ClientAddress.Of(request) });
    }

    /// <summary>Runs <paramref name="handle"/> for a caller with one of <paramref name="roles"/> and the body read as <typeparamref name="TBody"/> (<paramref name="whenEmpty"/> when there is none).</summary>
    public Task<IActionResult> RunAsync<TBody>(HttpRequest request, string[] roles, TBody whenEmpty, Func<Caller, TBody, Task<IActionResult>> handle, CancellationToken cancellationToken,
        RequestLimit? limit = null, int maxBodyBytes = JsonBody.DefaultMaxBytes) =>
        RunAsync(request, roles, async caller =>
        {
            (TBody? body, ObjectResult? problem) = await JsonBody.ReadAsync(request, whenEmpty, cancellationToken, maxBodyBytes);
            return problem ?? await handle(caller, body!);
        }, limit);

    /// <summary>Runs <paramref name="handle"/> for a caller with one of <paramref name="roles"/> and a body that must be a JSON object (<paramref name="expected"/> says what it holds).</summary>
    public Task<IActionResult> RunObjectAsync(HttpRequest request, string[] roles, string expected, Func<Caller, System.Text.Json.JsonElement, Task<IActionResult>> handle, CancellationToken cancellationToken) =>
        RunAsync(request, roles, async caller =>
        {
            (System.Text.Json.JsonElement body, ObjectResult? problem) = await JsonBody.ReadObjectAsync(request, expected, cancellationToken);
            return problem ?? await handle(caller, body);
        });

    /// <summary>Runs <paramref name="handle"/> for a caller with one of <paramref name="roles"/> and the body's bytes as sent.</summary>
    public Task<IActionResult> RunBytesAsync(HttpRequest request, string[] roles, Func<Caller, byte[], Task<IActionResult>> handle, CancellationToken cancellationToken,
        int maxBodyBytes = JsonBody.DefaultMaxBytes) =>
        RunAsync(request, roles, async caller =>
        {
            (byte[]? body, ObjectResult? tooLarge) = await JsonBody.BytesAsync(request, maxBodyBytes, cancellationToken);
            return tooLarge ?? await handle(caller, body!);
        });
}
