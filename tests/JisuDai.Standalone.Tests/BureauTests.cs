using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using JisuDai.Simulators.Bureau;
using JisuDai.Tests;
using static JisuDai.Standalone.Tests.Borrowing;

namespace JisuDai.Standalone.Tests;

/// <summary>The credit bureau at decision time, over HTTP: asked only with the applicant's authorisation, once per cache period, its findings as rule facts.</summary>
public sealed class BureauTests : IAsyncLifetime
{
    const string Member = "member-e2e", Secret = "ZTJlLWJ1cmVhdS1zZWNyZXQtZm9yLXRoZS10ZXN0cw==";
    AzuriteServer azurite = null!;
    CreditBureauSimulator bureau = null!;

    public async Task InitializeAsync()
    {
        azurite = await AzuriteServer.StartAsync();
        bureau = await CreditBureauSimulator.StartAsync("http://127.0.0.1:0", Member, Secret);
    }

    public async Task DisposeAsync()
    {
        await bureau.DisposeAsync();
        await azurite.DisposeAsync();
    }

    static object Person(string phone, string idNumber, bool consent, string name = "Zhang San")
    {
        JsonNode application = JsonNode.Parse(JsonSerializer.Serialize(Application(phone: phone)))!;
        application["idNumber"] = idNumber;
        application["name"] = name;
        application["bureauConsent"] = consent;
        return application;
    }

    [Fact]
    public async Task A_consented_application_is_decided_on_the_bureaus_report_which_is_asked_for_once_per_cache_period()
    {
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString, ["Bureau:BaseUrl"] = bureau.Url + "/", ["Bureau:MemberId"] = Member, ["Bureau:SecretKey"] = Secret,
        });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        await DecideAllAsync(host, "approve");
        using var simulator = new HttpClient { BaseAddress = new Uri(bureau.Url + "/") };
        const string defaulter = "110101198506150027";
        (await simulator.PutAsJsonAsync($"simulator/people/{defaulter}", new { openLoans = 3, openBalance = 52000, monthlyRepayments = 4100, worstDaysPastDue24m = 120, delinquentAccounts24m = 2 }))
            .EnsureSuccessStatusCode();

        // With the authorisation: the bureau is asked, and 120 days past due elsewhere declines.
        HttpClient li = await SignUpAsync(host, "+8613900139001");
        string first = await SubmitAsync(li, "k-1", Person("+8613900139001", defaulter, consent: true, name: "Li Si"));
        JsonElement decided = await DecisionOfAsync(host, li, first);
        JsonElement findings = decided.GetProperty("bureau");
        Assert.Equal("found", findings.GetProperty("status").GetString());
        Assert.Equal(120, findings.GetProperty("report").GetProperty("worstDaysPastDue24m").GetInt32());
        Assert.Equal("decline", decided.GetProperty("result").GetProperty("outcome").GetString());
        Assert.Contains(decided.GetProperty("result").GetProperty("fired").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "BUR-SEVERE-DELINQUENCY");
        JsonElement[] asked = (await simulator.GetFromJsonAsync<JsonElement[]>("simulator/inquiries"))!;
        Assert.Equal(findings.GetProperty("inquiryId").GetString(), Assert.Single(asked).GetProperty("reference").GetString());

        // A second application within the cache period reuses the report: the bureau is not asked again.
        string second = await SubmitAsync(li, "k-2", Person("+8613900139001", defaulter, consent: true, name: "Li Si"));
        JsonElement again = (await DecisionOfAsync(host, li, second)).GetProperty("bureau");
        Assert.Equal(findings.GetProperty("report").GetProperty("reportId").GetString(), again.GetProperty("report").GetProperty("reportId").GetString());
        Assert.NotEqual(findings.GetProperty("inquiryId").GetString(), again.GetProperty("inquiryId").GetString());
        Assert.Single((await simulator.GetFromJsonAsync<JsonElement[]>("simulator/inquiries"))!);

        // Without the authorisation nobody is asked.
        HttpClient wang = await SignUpAsync(host, "+8613900139002");
        JsonElement none = (await DecisionOfAsync(host, wang, await SubmitAsync(wang, "k-3", Person("+8613900139002", "110101199202200034", consent: false, name: "Wang Wu")))).GetProperty("bureau");
        Assert.Equal("none", none.GetProperty("status").GetString());
        Assert.Single((await simulator.GetFromJsonAsync<JsonElement[]>("simulator/inquiries"))!);

        // A bureau that does not answer sends the application to a reviewer.
        (await simulator.PostAsJsonAsync("simulator/faults", new { busy = true })).EnsureSuccessStatusCode();
        HttpClient zhao = await SignUpAsync(host, "+8613900139003");
        JsonElement down = await DecisionOfAsync(host, zhao, await SubmitAsync(zhao, "k-4", Person("+8613900139003", "110101197809090047", consent: true, name: "Zhao Liu")));
        Assert.Equal("unavailable", down.GetProperty("bureau").GetProperty("status").GetString());
        Assert.Equal("review", down.GetProperty("result").GetProperty("outcome").GetString());
        Assert.Contains(down.GetProperty("result").GetProperty("fired").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "BUR-UNAVAILABLE");
    }
}
