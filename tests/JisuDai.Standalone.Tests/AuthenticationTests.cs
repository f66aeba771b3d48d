using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using JisuDai.Adapters.Security;
using JisuDai.App.Security;
using JisuDai.Tests;

namespace JisuDai.Standalone.Tests;

/// <summary>Bearer tokens and roles on the host: 401 without a valid token, 403 without the role, as problem details.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    [Fact]
    public async Task Endpoints_refuse_missing_forged_and_expired_tokens_with_401_and_the_wrong_role_with_403()
    {
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));

        using HttpResponseMessage none = await host.Anonymous.GetAsync("rules");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType!.MediaType);

        var forgedIssuer = new Tokens("jisudai", "jisudai-api", new byte[32]);
        using var forged = new HttpRequestMessage(HttpMethod.Get, "rules") { Headers = { Authorization = new("Bearer", forgedIssuer.Mint("admin-1", [Roles.Admin], DateTimeOffset.UtcNow, TimeSpan.FromHours(1))) } };
        using HttpResponseMessage forgedResponse = await host.Anonymous.SendAsync(forged);
        Assert.Equal(HttpStatusCode.Unauthorized, forgedResponse.StatusCode);
        Assert.Contains("signature", (await forgedResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        var testIssuer = new Tokens("jisudai", "jisudai-api", Convert.FromBase64String(TestTokens.SigningKey));
        using var expired = new HttpRequestMessage(HttpMethod.Get, "rules") { Headers = { Authorization = new("Bearer", testIssuer.Mint("admin-1", [Roles.Admin], DateTimeOffset.UtcNow.AddHours(-3), TimeSpan.FromHours(1))) } };
        using HttpResponseMessage expiredResponse = await host.Anonymous.SendAsync(expired);
        Assert.Equal(HttpStatusCode.Unauthorized, expiredResponse.StatusCode);
        Assert.Contains("expired", (await expiredResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());

        // Customers and staff are on audiences of their own: a token that mixes them stands for no one.
        foreach ((string audience, string[] roles, string why) in new[]
        {
            ("jisudai-api", new[] { Roles.Admin }, "customer's token cannot carry staff roles"),
            ("jisudai-api", new[] { Roles.Applicant, Roles.Reviewer }, "customer's token cannot carry staff roles"),
            ("jisudai-staff", new[] { Roles.Applicant }, "staff token cannot act as a customer"),
        })
        {
            string mixed = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
            {
                Issuer = "jisudai", Audience = audience, Expires = DateTime.UtcNow.AddHours(1),
                Claims = new Dictionary<string, object> { ["sub"] = "c-1", ["roles"] = roles },
                SigningCredentials = new(new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(Convert.FromBase64String(TestTokens.SigningKey)), "HS256"),
            });
            using var request = new HttpRequestMessage(HttpMethod.Get, "reviews") { Headers = { Authorization = new("Bearer", mixed) } };
            using HttpResponseMessage refused = await host.Anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains(why, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }

        Assert.Throws<ArgumentException>(() => testIssuer.Mint("c-1", [Roles.Applicant, Roles.Admin], DateTimeOffset.UtcNow, TimeSpan.FromHours(1)));

        using HttpResponseMessage applicant = await host.As("c-1", Roles.Applicant).GetAsync("rules");
        Assert.Equal(HttpStatusCode.Forbidden, applicant.StatusCode);
        Assert.Contains("admin", (await applicant.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        using HttpResponseMessage reviewerOnAdmin = await host.As("r-1", Roles.Reviewer).GetAsync("blacklist");
        Assert.Equal(HttpStatusCode.Forbidden, reviewerOnAdmin.StatusCode);
        using HttpResponseMessage applicantScores = await host.As("c-1", Roles.Applicant).PostAsync("risk/score", JsonContent.Create(new { age = 30 }));
        Assert.Equal(HttpStatusCode.Forbidden, applicantScores.StatusCode);

        // Diagnostics need an admin's token, and a connection that no proxy forwarded: through one they do not exist.
        using HttpResponseMessage anonymousDiagnostics = await host.Anonymous.PostAsync("diagnostics/round-trips", JsonContent.Create(new { payload = "x" }));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousDiagnostics.StatusCode);
        using var forwarded = new HttpRequestMessage(HttpMethod.Post, "diagnostics/round-trips") { Content = JsonContent.Create(new { payload = "x" }), Headers = { { "X-Forwarded-For", "203.0.113.9" } } };
        using HttpResponseMessage forwardedDiagnostics = await host.Client.SendAsync(forwarded);
        Assert.Equal(HttpStatusCode.NotFound, forwardedDiagnostics.StatusCode);
        using var forwardedSink = new HttpRequestMessage(HttpMethod.Get, "dev/messages") { Headers = { { "X-Forwarded-For", "203.0.113.9" } } };
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.SendAsync(forwardedSink)).StatusCode);
        using HttpResponseMessage diagnostics = await host.Client.PostAsync("diagnostics/round-trips", JsonContent.Create(new { payload = "x" }));
        Assert.Equal(HttpStatusCode.Accepted, diagnostics.StatusCode);

        using HttpResponseMessage admin = await host.Client.GetAsync("rules");
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        using HttpResponseMessage health = await host.Anonymous.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    static string Principal(string subject, params string[] roles) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        auth_typ = "aad",
        name_typ = "name",
        role_typ = "roles",
        claims = new[] { new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = subject } }
            .Concat(roles.Select(r => new { typ = "roles", val = r })).ToArray(),
    })));

    [Fact]
    public async Task The_App_Service_principal_header_is_trusted_only_where_configured()
    {
        await using (StandaloneProcess local = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString }))
        {
            await local.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
            using var spoofed = new HttpRequestMessage(HttpMethod.Get, "rules") { Headers = { { "X-MS-CLIENT-PRINCIPAL", Principal("mallory", Roles.Admin) } } };
            Assert.Equal(HttpStatusCode.Unauthorized, (await local.Anonymous.SendAsync(spoofed)).StatusCode);
        }

        await using StandaloneProcess behindAppService = StandaloneProcess.Start(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Auth__TrustAppServiceAuthentication"] = "true",
        });
        await behindAppService.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        using var admin = new HttpRequestMessage(HttpMethod.Get, "rules") { Headers = { { "X-MS-CLIENT-PRINCIPAL", Principal("boss-oid", Roles.Admin) } } };
        using var applicant = new HttpRequestMessage(HttpMethod.Get, "rules") { Headers = { { "X-MS-CLIENT-PRINCIPAL", Principal("cust-oid", Roles.Applicant) } } };
        using var garbled = new HttpRequestMessage(HttpMethod.Get, "rules") { Headers = { { "X-MS-CLIENT-PRINCIPAL", "not base64!" } } };

        Assert.Equal(HttpStatusCode.OK, (await behindAppService.Anonymous.SendAsync(admin)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await behindAppService.Anonymous.SendAsync(applicant)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await behindAppService.Anonymous.SendAsync(garbled)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await behindAppService.Client.GetAsync("rules")).StatusCode);
    }
}
