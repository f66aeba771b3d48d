using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace JisuDai.Functions.Http;

/// <summary>Reads a JSON request body, turning malformed JSON into a problem that names the field.</summary>
public static class JsonBody
{
    static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The body as <typeparamref name="T"/>; an empty body gives <paramref name="whenEmpty"/>. On failure
    /// <paramref name="problem"/> is the 400 to return.
    /// </summary>
    public static async Task<(T? Value, ObjectResult? Problem)> ReadAsync<T>(HttpRequest request, T whenEmpty, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        string text = await reader.ReadToEndAsync(cancellationToken);
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
            return (default, Problems.Invalid(e.Path is { Length: > 0 } path ? path : "$", "is not valid JSON for this request."));
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
