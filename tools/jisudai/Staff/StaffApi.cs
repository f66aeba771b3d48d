using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace JisuDai.Tools.Staff;

/// <summary>
/// The app's HTTP API as the CLI's staff commands call it: a staff power is proposed and approved there, under two
/// people's tokens, never written to storage by the CLI. <c>--api</c> (default the local host) and <c>--token</c>
/// (default <c>$JISUDAI_TOKEN</c>; mint a local one with <c>jisudai token</c>).
/// </summary>
static class StaffApi
{
    public static Option<string> ApiOption() => new("--api") { Description = "The app's API root.", DefaultValueFactory = _ => "http://127.0.0.1:7071/api", Recursive = true };

    public static Option<string?> TokenOption() => new("--token") { Description = "Your bearer token (default: $JISUDAI_TOKEN).", Recursive = true };

    /// <summary>Sends a request, prints what came of it (a proposal's staff request and how to approve it), and returns the exit code.</summary>
    public static async Task<int> SendAsync(ParseResult parse, Option<string> api, Option<string?> token, HttpMethod method, string path, HttpContent? content, Func<JsonElement, string> done, CancellationToken cancellationToken)
    {
        string? bearer = parse.GetValue(token) ?? Environment.GetEnvironmentVariable("JISUDAI_TOKEN");
        if (string.IsNullOrWhiteSpace(bearer))
        {
            await Console.Error.WriteLineAsync("error: no token. Pass --token or set JISUDAI_TOKEN (locally: jisudai token --role admin --subject <you>).");
            return 2;
        }

        using var http = new HttpClient { BaseAddress = new Uri(parse.GetValue(api)!.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        try
        {
            using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
            string text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonElement body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement;
            if (response.StatusCode == HttpStatusCode.Accepted && body.TryGetProperty("request", out JsonElement staffRequest))
            {
                string id = staffRequest.GetProperty("id").GetString()!, digest = staffRequest.GetProperty("digest").GetString()!;
                await Console.Out.WriteLineAsync($"Proposed: staff request {id} ({staffRequest.GetProperty("power").GetString()} of {staffRequest.GetProperty("target").GetString()}), digest {digest}.");
                await Console.Out.WriteLineAsync($"It takes effect when a second person approves it: jisudai staff approve {id} --digest {digest}");
                return 0;
            }

            if (!response.IsSuccessStatusCode)
            {
                string detail = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("detail", out JsonElement d) ? d.GetString() ?? text : text;
                await Console.Error.WriteLineAsync($"error: {(int)response.StatusCode} {detail}");
                return 2;
            }

            await Console.Out.WriteLineAsync(done(body));
            return 0;
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"error: the app at {http.BaseAddress} does not answer ({e.Message}); is ./run.sh running, or is --api right?");
            return 2;
        }
    }

    public static HttpContent Json(object body) => new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
}
