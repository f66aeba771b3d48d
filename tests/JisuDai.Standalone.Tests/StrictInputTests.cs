using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JisuDai.Tests;
using static JisuDai.Standalone.Tests.Borrowing;

namespace JisuDai.Standalone.Tests;

/// <summary>Input that looks right but is not: full-width digits, a trailing line end, a card failing Luhn, huge numbers, deep or big bodies.</summary>
public sealed class StrictInputTests : IAsyncLifetime
{
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.TryGetProperty("traceId", out _), problem.ToString());
        return problem;
    }

    [Fact]
    public async Task Look_alike_digits_line_ends_bad_cards_huge_numbers_and_oversized_bodies_are_refused_naming_the_field()
    {
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        HttpClient applicant = host.As("c-strict", "applicant");

        foreach ((string field, object value, string name) in new (string, object, string)[]
        {
            ("phone", "+8613９00139000", "phone"), // a full-width nine: it would fingerprint as another person
            ("phone", "+8613800138000\n", "phone"),
            ("bankAccount", "6222020200112233", "bankAccount"), // fails Luhn
            ("bankAccount", "６２２２０２０２００１１２２３０", "bankAccount"),
            ("name", "Ｚｈａｎｇ San", "name"), // NFKC would change it
        })
        {
            JsonNode body = JsonNode.Parse(JsonSerializer.Serialize(Application()))!;
            body[field] = JsonValue.Create(value);
            using var request = new HttpRequestMessage(HttpMethod.Post, "applications") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", $"k-{field}-{value.GetHashCode()}");
            JsonElement problem = await ProblemAsync(await applicant.SendAsync(request), HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(name, out _), $"{value}: {problem}");
        }

        // The same in the real-name check.
        JsonElement verification = await ProblemAsync(await applicant.PostAsJsonAsync("customers/me/verification",
            new { name = "Zhang San", idNumber = ValidIdNumber, phone = "+8613800138000", bankAccount = "6222020200112233" }), HttpStatusCode.BadRequest);
        Assert.True(verification.GetProperty("errors").TryGetProperty("bankAccount", out _));

        // A what-if decision with an income no arithmetic should meet.
        using var decide = new HttpRequestMessage(HttpMethod.Post, "risk/decide")
        {
            Content = new StringContent("""{"application":{"amount":20000,"termMonths":12,"monthlyIncome":1e30,"monthlyDebtPayments":0,"age":30},"applicant":{"idNumber":"110101199003070011","phone":"+8613800138000","name":"Zhang San"}}""",
                Encoding.UTF8, "application/json"),
        };
        decide.Headers.Add("Idempotency-Key", "what-if-1e30");
        JsonElement huge = await ProblemAsync(await host.Client.SendAsync(decide), HttpStatusCode.BadRequest);
        Assert.True(huge.GetProperty("errors").TryGetProperty("application.monthlyIncome", out _), huge.ToString());

        // Bodies: 64 KB by default, JSON at most 32 deep.
        using var big = new StringContent($$"""{"phone":"{{new string('1', 70_000)}}"}""", Encoding.UTF8, "application/json");
        await ProblemAsync(await host.Anonymous.PostAsync("auth/codes", big), HttpStatusCode.RequestEntityTooLarge);
        using var deep = new StringContent(new string('[', 40) + new string(']', 40), Encoding.UTF8, "application/json");
        await ProblemAsync(await applicant.PostAsync("customers/me/verification", deep), HttpStatusCode.BadRequest);

        // A rule nested past its limit is refused with its place, not a crashed host.
        JsonNode rules = JsonNode.Parse(await File.ReadAllTextAsync(Repository.Path("risk", "Defaults", "default-rules.json")))!;
        rules["tables"]![0]!["rules"]![0]!["when"] = new string('(', 200) + "application.age < 18" + new string(')', 200);
        JsonElement deepRule = await ProblemAsync(await host.Client.PostAsync("rules/validate", new StringContent(rules.ToJsonString(), Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest);
        Assert.Contains("deeper than 32", deepRule.ToString());
        Assert.Equal(HttpStatusCode.OK, (await host.Anonymous.GetAsync("health")).StatusCode);
    }
}
