using JisuDai.Lending;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace JisuDai.Functions.Http;

/// <summary>RFC 7807 problem details, the one error shape of every HTTP endpoint.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    /// <summary>A 400 whose <c>errors</c> member names each field at fault.</summary>
    public static ObjectResult Invalid(string field, string message) =>
        Create(400, "The request is invalid.", $"{field}: {message}",
            new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });

    /// <summary>A 400 naming every field at fault, from the domain's errors.</summary>
    public static ObjectResult Invalid(IReadOnlyList<JisuDai.Lending.DomainError> errors) =>
        Create(400, "The request is invalid.", string.Join(" ", errors.Select(e => e.Message)),
            new Dictionary<string, object?>
            {
                ["errors"] = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            });

    /// <summary>A 503 with Retry-After while the risk model loads or trains on first start.</summary>
    public static ObjectResult ModelNotReady(HttpResponse response)
    {
        response.Headers.RetryAfter = "10";
        return Create(503, "The risk model is not loaded yet.", "The model is still loading or training on first start; try again shortly.");
    }

    /// <summary>A 500 for a failure the app did not expect: the trace id to quote, never the exception or its stack.</summary>
    public static ObjectResult Unexpected(string traceId) =>
        Create(500, "Something went wrong.", "The request could not be completed; nothing it asked for may be assumed done. Quote the traceId when reporting it.",
            new Dictionary<string, object?> { ["traceId"] = traceId });

    /// <summary>Gives a problem answer the request's trace id (every problem carries one, so a report can be found in the logs).</summary>
    public static void Trace(object? result, string traceId)
    {
        if (result is ObjectResult { Value: ProblemDetails problem } && !problem.Extensions.ContainsKey("traceId"))
        {
            problem.Extensions["traceId"] = traceId;
        }
    }

    /// <summary>The request's trace id: the W3C trace of the current activity where there is one, else the host's request id.</summary>
    public static string TraceIdOf(HttpContext context) => System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;

    /// <summary>A 429 with <c>Retry-After</c> (whole seconds, at least 1), also given as <c>retryAfterSeconds</c> in the problem.</summary>
    public static ObjectResult TooMany(string detail, TimeSpan retryAfter, HttpResponse? response)
    {
        long seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        if (response is not null)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Create(429, "Too many requests.", detail, new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
    }

    public static ObjectResult NotFound(string detail) => Create(404, "Not found.", detail);

    public static ObjectResult Conflict(string detail) => Create(409, "Conflict.", detail);

    public static ObjectResult Create(int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = detail,
            Type = $"https://httpstatuses.io/{status}",
        };
        foreach ((string key, object? value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return new ObjectResult(problem) { StatusCode = status, ContentTypes = { ContentType } };
    }
}
