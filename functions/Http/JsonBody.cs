using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace JisuDai.Functions.Http;

/// <summary>
/// Reads a request body, turning malformed JSON into a problem that names the field. A body is at most
/// <see cref="DefaultMaxBytes"/> (64 KB) unless the route allows more, and JSON nests at most 32 deep; beyond either
/// the answer is a 413 or a 400 and nothing is read further.
/// </summary>
public static class JsonBody
{
    /// <summary>The largest body a route takes unless it says otherwise.</summary>
    public const int DefaultMaxBytes = 64 * 1024;

    static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { MaxDepth = 32 };

    /// <summary>The body's bytes, or the 413 when it is larger than <paramref name="maxBytes"/> (read no further than one past it).</summary>
    public static async Task<(byte[]? Bytes, ObjectResult? Problem)> BytesAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        ObjectResult TooLarge() => Problems.Create(413, "Too large.", $"The body is at most {maxBytes / 1024} KB for this request.");
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge());
        }

        byte[]? bytes = await App.Streams.BoundedRead.AtMostAsync(request.Body, maxBytes, cancellationToken);
        return bytes is null ? (null, TooLarge()) : (bytes, null);
    }

    /// <summary>
    /// The body as <typeparamref name="T"/>; an empty body gives <paramref name="whenEmpty"/>. On failure
    /// <paramref name="problem"/> is the 400 to return.
    /// </summary>
    public static async Task<(T? Value, ObjectResult? Problem)> ReadAsync<T>(HttpRequest request, T whenEmpty, CancellationToken cancellationToken, int maxBytes = DefaultMaxBytes)
    {
        (byte[]? bytes, ObjectResult? tooLarge) = await BytesAsync(request, maxBytes, cancellationToken);
        if (tooLarge is not null)
        {
            return (default, tooLarge);
        }

        string text = System.Text.Encoding.UTF8.GetString(bytes!);
        if (string.IsNullOrWhiteSpace(text))
        {
            return (whenEmpty, null);
        }

        try
        {
            T? value = JsonSerializer.Deserialize<T>(text, Options);
            return value is null ? (default, Problems.Invalid("$", "the body must be a JSON object.")) : (value, null);
        }
        catch (JsonException e)
        {
            return (default, Problems.Invalid(e.Path is { Length: > 0 } path ? path : "$",
                e.Message.Contains("maximum configured depth", StringComparison.Ordinal) ? "nests deeper than 32 levels." : "is not valid JSON for this request."));
        }
    }

    /// <summary>The body as a JSON object; anything else (empty, malformed, an array, a scalar) is the 400 in <paramref name="problem"/>, saying <paramref name="expected"/>.</summary>
    public static async Task<(JsonElement Value, ObjectResult? Problem)> ReadObjectAsync(HttpRequest request, string expected, CancellationToken cancellationToken)
    {
        (JsonElement body, ObjectResult? problem) = await ReadAsync(request, default(JsonElement), cancellationToken);
        return problem is not null ? (body, problem)
            : body.ValueKind != JsonValueKind.Object ? (body, Problems.Invalid("$", $"the body must be {expected}."))
            : (body, null);
    }
}
