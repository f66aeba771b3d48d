using System.Text.RegularExpressions;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.Lending;
using JisuDai.Risk.Behaviour;

namespace JisuDai.App.Behaviour;

/// <summary>A batch of events from a borrower's app (<c>POST /api/events</c>).</summary>
public sealed record EventBatch(IReadOnlyList<AppEvent?>? Events);

/// <summary>One event as an app reports it.</summary>
/// <param name="Id">The app's id for the event (letters, digits, '-', '_'; at most 64): sending it again is the same event.</param>
/// <param name="Kind">app-open, page-view or operation.</param>
/// <param name="At">When it happened.</param>
/// <param name="Name">The page or operation (required for those kinds).</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="Device">The device it happened on.</param>
public sealed record AppEvent(string? Id, string? Kind, DateTimeOffset? At, string? Name, long? DurationMs, AppDevice? Device);

/// <summary>The device as an app reports it.</summary>
public sealed record AppDevice(string? Id, string? Os, string? OsVersion, string? Model, string? Screen, string? TimeZone, string? Language, bool? Emulator, bool? Rooted);

/// <summary>How many events of a batch were taken.</summary>
public sealed record EventsAccepted(int Accepted);

/// <summary>
/// Takes behaviour and device events from customers' apps and records the sign-ins the platform sees itself. Each event
/// is kept append-only under the customer with the network address of the connection that brought it (never one the
/// app states) and a keyed fingerprint of its device id; the device, address and customer are also recorded as
/// sightings for the sharing features. The app's clock is believed within bounds: an event more than 5 minutes ahead of
/// the platform's clock or more than 7 days old is refused.
/// </summary>
public sealed partial class BehaviourDesk(IBehaviourEvents events, DeviceSightings sightings, PersonalData personalData, TimeProvider clock)
{
    /// <summary>Events in one batch.</summary>
    public const int MaxBatch = 100;

    static readonly TimeSpan AheadAllowed = TimeSpan.FromMinutes(5), OldestAccepted = TimeSpan.FromDays(7);
    const long MaxDurationMs = 86_400_000;

    /// <summary>Records <paramref name="batch"/> for <paramref name="caller"/>, all of it or (when any event is at fault) none.</summary>
    public async Task<Result<EventsAccepted>> RecordAsync(Caller caller, EventBatch batch, CancellationToken cancellationToken)
    {
        if (!Lending.Documents.DocumentKey.IsValid(caller.Subject) || caller.Subject.Contains('.'))
        {
            return Result<EventsAccepted>.Forbidden("The token's subject is not a valid customer id.");
        }

        DateTimeOffset now = clock.GetUtcNow();
        var errors = Check(batch, now);
        if (errors.Count > 0)
        {
            return Result<EventsAccepted>.Invalid(errors);
        }

        string? address = Fingerprint("address", caller.Address);
        var stored = batch.Events!.Select(e => (e!.Id!, new BehaviourEvent(e.Kind!, e.At!.Value, e.Name, e.DurationMs, Fingerprint("device", e.Device?.Id), address,
            e.Device is { } d ? new DeviceTraits(d.Os, d.OsVersion, d.Model, d.Screen, d.TimeZone, d.Language, d.Emulator ?? false, d.Rooted ?? false) : null))).ToList();
        await events.AppendAsync(caller.Subject, stored, cancellationToken);
        await sightings.RecordAsync(caller.Subject, now, null, caller.Address, null, cancellationToken);
        foreach (string? device in batch.Events!.Select(e => e!.Device?.Id).Distinct())
        {
            await sightings.RecordAsync(caller.Subject, now, device, null, null, cancellationToken);
        }

        return Result<EventsAccepted>.Ok(new EventsAccepted(stored.Count));
    }

    /// <summary>Records a sign-in of <paramref name="customerId"/> on <paramref name="device"/> from <paramref name="address"/> (the connection's).</summary>
    public async Task RecordSignInAsync(string customerId, string signInId, string? device, string? address, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await events.AppendAsync(customerId,
            [(signInId, new BehaviourEvent(BehaviourKinds.SignIn, at, null, null, Fingerprint("device", device), Fingerprint("address", address), null))], cancellationToken);
        await sightings.RecordAsync(customerId, at, device, address, null, cancellationToken);
    }

    /// <summary>The keyed fingerprint events carry for an identifier.</summary>
    public string? Fingerprint(string kind, string? value) => string.IsNullOrWhiteSpace(value) ? null : personalData.Fingerprint(kind, value);

    static List<DomainError> Check(EventBatch batch, DateTimeOffset now)
    {
        var errors = new List<DomainError>();
        void Fail(string field, string message) => errors.Add(new DomainError(field, "invalid", message));
        if (batch.Events is not { Count: > 0 and <= MaxBatch } list)
        {
            Fail("events", $"events must hold 1 to {MaxBatch} events.");
            return errors;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < list.Count; i++)
        {
            string at = $"events[{i}]";
            if (list[i] is not { } e)
            {
                Fail(at, $"{at} must be an event object.");
                continue;
            }

            if (e.Id is null || !EventId().IsMatch(e.Id))
            {
                Fail($"{at}.id", "id is 1 to 64 letters, digits, '-' or '_'.");
            }
            else if (!ids.Add(e.Id))
            {
                Fail($"{at}.id", $"id {e.Id} appears twice in the batch.");
            }

            if (e.Kind is null || !BehaviourKinds.FromApps.Contains(e.Kind))
            {
                Fail($"{at}.kind", $"kind is one of {string.Join(", ", BehaviourKinds.FromApps)} (sign-ins are recorded by the platform).");
            }
            else if (e.Kind != BehaviourKinds.AppOpen && string.IsNullOrWhiteSpace(e.Name))
            {
                Fail($"{at}.name", $"name is required for a {e.Kind}.");
            }

            if (e.At is not { } when)
            {
                Fail($"{at}.at", "at is required (an ISO 8601 time with its offset).");
            }
            else if (when > now + AheadAllowed || when < now - OldestAccepted)
            {
                Fail($"{at}.at", "at must be within the last 7 days and not ahead of now.");
            }

            if (e.Name is { Length: > 64 })
            {
                Fail($"{at}.name", "name is at most 64 characters.");
            }

            if (e.DurationMs is < 0 or > MaxDurationMs)
            {
                Fail($"{at}.durationMs", "durationMs is from 0 to 86400000.");
            }

            if (e.Device is { } d)
            {
                if (d.Id is { Length: > 128 })
                {
                    Fail($"{at}.device.id", "device.id is at most 128 characters.");
                }

                foreach ((string field, string? value) in new[] { ("os", d.Os), ("osVersion", d.OsVersion), ("model", d.Model), ("screen", d.Screen), ("timeZone", d.TimeZone), ("language", d.Language) })
                {
                    if (value is { Length: > 64 })
                    {
                        Fail($"{at}.device.{field}", $"device.{field} is at most 64 characters.");
                    }
                }
            }
        }

        return errors;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z")]
    private static partial Regex EventId();
}
