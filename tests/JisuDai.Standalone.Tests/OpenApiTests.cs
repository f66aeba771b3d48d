using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using JisuDai.Functions;
using JisuDai.Standalone.Functions;
using JisuDai.Tests;

namespace JisuDai.Standalone.Tests;

/// <summary>One host for the contract's tests.</summary>
public sealed class OpenApiHost : IAsyncLifetime
{
    public AzuriteServer Azurite { get; private set; } = null!;
    internal StandaloneProcess Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Azurite = await AzuriteServer.StartAsync();
        Host = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = Azurite.ConnectionString, ["JisuDai__Limits__Enabled"] = "false" });
        await Host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}

/// <summary>
/// The API's OpenAPI document (docs/openapi.json) against the routes the hosts serve: the checked-in file is the one
/// the app serves, it names exactly the routes and methods both hosts map, every operation says what it answers, and
/// each route refuses a caller without a bearer token exactly where the document says it needs one.
/// Regenerate the file after changing a route or a contract: <c>JISUDAI_UPDATE_OPENAPI=1 dotnet test
/// tests/JisuDai.Standalone.Tests -c Release --filter "FullyQualifiedName~OpenApiTests"</c>.
/// </summary>
public sealed partial class OpenApiTests(OpenApiHost fixture) : IClassFixture<OpenApiHost>
{
    static readonly string CheckedIn = Repository.Path("docs", "openapi.json");

    async Task<JsonObject> ServedAsync()
    {
        using HttpResponseMessage served = await fixture.Host.Anonymous.GetAsync("openapi.json");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        return JsonNode.Parse(await served.Content.ReadAsStringAsync())!.AsObject();
    }

    [Fact]
    public async Task The_checked_in_document_is_the_served_one_and_names_every_route_and_method_the_hosts_serve()
    {
        JsonObject served = await ServedAsync();
        if (Environment.GetEnvironmentVariable("JISUDAI_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(CheckedIn, served.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
        }

        Assert.True(JsonNode.DeepEquals(served, JsonNode.Parse(await File.ReadAllTextAsync(CheckedIn))),
            "docs/openapi.json is not the document the app serves; regenerate it (see OpenApiTests' summary).");
        Assert.Equal("3.1.0", (string?)served["openapi"]);

        var documented = served["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}")).Order(StringComparer.Ordinal).ToList();
        var routed = FunctionCatalog.Load().Http
            .SelectMany(f => f.Verbs.Select(v => $"{v.ToUpperInvariant()} /api/{Parameter().Replace(f.Route, m => "{" + m.Groups[1].Value + "}")}"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(routed, documented);

        foreach ((string path, JsonNode? item) in served["paths"]!.AsObject())
        {
            foreach ((string verb, JsonNode? operation) in item!.AsObject())
            {
                JsonObject responses = operation!["responses"]!.AsObject();
                Assert.True(responses.Any(r => r.Key[0] is '2' or '3'), $"{verb} {path} says no success answer");
                foreach (Match parameter in Parameter().Matches(path))
                {
                    Assert.Contains(operation["parameters"]!.AsArray(), p => (string?)p!["name"] == parameter.Groups[1].Value && (string?)p["in"] == "path");
                }
            }
        }
    }

    [Fact]
    public async Task Every_route_refuses_a_caller_without_a_bearer_token_exactly_where_the_document_says_it_needs_one()
    {
        JsonObject served = await ServedAsync();
        var disagreements = new List<string>();
        foreach ((string path, JsonNode? item) in served["paths"]!.AsObject())
        {
            foreach ((string verb, JsonNode? operation) in item!.AsObject())
            {
                bool needsToken = operation!["security"]!.AsArray().Count > 0;
                string url = Parameter().Replace(path, "x")[("/api/".Length)..];
                using var request = new HttpRequestMessage(new HttpMethod(verb.ToUpperInvariant()), url);
                if (verb is "post" or "put")
                {
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                }

                using HttpResponseMessage answer = await fixture.Host.Anonymous.SendAsync(request);
                bool refused = answer.StatusCode == HttpStatusCode.Unauthorized && answer.Headers.WwwAuthenticate.Any(h => h.Scheme == "Bearer");
                if (refused != needsToken)
                {
                    disagreements.Add($"{verb.ToUpperInvariant()} {path}: the document says {(needsToken ? "a token is needed" : "anyone")}, the route answered {(int)answer.StatusCode}");
                }

                Assert.True((int)answer.StatusCode < 500, $"{verb} {path} answered {(int)answer.StatusCode}");
                if (needsToken)
                {
                    Assert.True(operation["responses"]!["401"] is not null, $"{verb} {path} needs a token but does not document its 401");
                }
            }
        }

        Assert.Empty(disagreements);
    }

    [GeneratedRegex(@"\{\*?([A-Za-z0-9_]+)(?::[^}]*)?\}")]
    private static partial Regex Parameter();
}
