using System.Collections.Concurrent;
using JisuDai.App.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;

namespace JisuDai.Functions.Http;

/// <summary>A limit on one kind of request: at most so many per caller (the token's subject) and per network address in a window.</summary>
/// <param name="Name">What it limits, as the 429 says.</param>
/// <param name="PerSubject">Requests per subject in <paramref name="SubjectWindow"/> (0: not limited by subject).</param>
/// <param name="SubjectWindow">The subject's window.</param>
/// <param name="PerAddress">Requests per address in a minute.</param>
public sealed record RequestLimit(string Name, int PerSubject, TimeSpan SubjectWindow, int PerAddress);

/// <summary>
/// The app's own limits on the requests a borrower's app makes, in both hosts, before anything is read or written:
/// counted per token subject and per network address (<see cref="ClientAddress"/>) in fixed windows, answering 429 with
/// Retry-After. They are per instance: in Azure the gateway's limits (API Management) count across instances, and these
/// stop one instance being flooded. Many people share an address behind carrier NAT, so the per-address limits are wide.
/// <c>JisuDai:Limits:Enabled</c> = false turns them off (the benchmarks, which run thousands of customers from one address).
/// </summary>
public sealed class RequestLimits(TimeProvider clock, bool enabled = true)
{
    /// <summary>Sign-in: codes, tokens, refresh and logout. Per number the sign-in desk's own limits apply too.</summary>
    public static readonly RequestLimit SignIn = new("sign-in requests", 0, TimeSpan.Zero, 60);

    /// <summary>Submitted applications (retries included).</summary>
    public static readonly RequestLimit Applications = new("applications", 10, TimeSpan.FromHours(1), 100);

    /// <summary>Uploaded files (retries included).</summary>
    public static readonly RequestLimit Uploads = new("file uploads", 20, TimeSpan.FromHours(1), 100);

    /// <summary>Batches of behaviour events.</summary>
    public static readonly RequestLimit Events = new("event batches", 60, TimeSpan.FromMinutes(1), 600);

    static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    readonly ConcurrentDictionary<string, Window> windows = new(StringComparer.Ordinal);
    long counted;

    /// <summary>From <c>JisuDai:Limits:Enabled</c> (default true).</summary>
    public static RequestLimits FromConfiguration(IConfiguration configuration, TimeProvider clock) =>
        new(clock, configuration[AppSettings.LimitsEnabled] is not { Length: > 0 } text || !bool.TryParse(text, out bool on) || on);

    /// <summary>Counts <paramref name="request"/> against <paramref name="limit"/>: null when within it, else the 429 to answer.</summary>
    public ObjectResult? Refuse(HttpRequest request, RequestLimit limit, string? subject)
    {
        if (!enabled)
        {
            return null;
        }

        DateTimeOffset now = clock.GetUtcNow();
        Forget(now);
        if (limit.PerSubject > 0 && subject is not null && Count($"{limit.Name}\nsubject\n{subject}", limit.SubjectWindow, limit.PerSubject, now) is { } subjectWait)
        {
            return Problems.TooMany($"Too many {limit.Name} from this account for now; try again later.", subjectWait, request.HttpContext.Response);
        }

        return ClientAddress.Of(request) is { } address && Count($"{limit.Name}\naddress\n{address}", Minute, limit.PerAddress, now) is { } addressWait
            ? Problems.TooMany($"Too many {limit.Name} from this network address for now; try again shortly.", addressWait, request.HttpContext.Response)
            : null;
    }

    /// <summary>Counts one more in the key's current window; the time left in it when that is one too many.</summary>
    TimeSpan? Count(string key, TimeSpan length, int permitted, DateTimeOffset now)
    {
        long start = now.UtcTicks / length.Ticks * length.Ticks;
        Window window = windows.AddOrUpdate(key, _ => new Window(start, 1, start + length.Ticks),
            (_, w) => w.Start == start ? w with { Count = w.Count + 1 } : new Window(start, 1, start + length.Ticks));
        return window.Count > permitted ? TimeSpan.FromTicks(window.Ends - now.UtcTicks) : null;
    }

    /// <summary>Every 10,000 requests, drops the windows that have ended, so the table holds only live callers.</summary>
    void Forget(DateTimeOffset now)
    {
        if (Interlocked.Increment(ref counted) % 10_000 == 0)
        {
            foreach ((string key, Window w) in windows)
            {
                if (w.Ends <= now.UtcTicks)
                {
                    windows.TryRemove(new KeyValuePair<string, Window>(key, w));
                }
            }
        }
    }

    sealed record Window(long Start, int Count, long Ends);
}
