using System.Net.Http.Json;
using JisuDai.Adapters.Bureau;
using JisuDai.App.Bureau;
using JisuDai.Risk.Bureau;
using JisuDai.Simulators.Bureau;

namespace JisuDai.Functions.Tests.Bureau;

/// <summary>The bureau adapter against the bureau simulator over HTTP: signed inquiries, the bureau's own counts, and every failure as unavailable.</summary>
public sealed class CreditBureauTests : IAsyncLifetime
{
    const string Member = "member-test", Secret = "c2VjcmV0LWZvci10aGUtYnVyZWF1LXRlc3Q=";
    CreditBureauSimulator simulator = null!;

    public async Task InitializeAsync() => simulator = await CreditBureauSimulator.StartAsync("http://127.0.0.1:0", Member, Secret);

    public async Task DisposeAsync() => await simulator.DisposeAsync();

    HttpCreditBureau Bureau(string secret = Secret) => new(new HttpClient(), new Uri(simulator.Url + "/"), Member, secret, TimeProvider.System);

    static BureauQuestion About(string idNumber) => new("Li Si", idNumber, "+8613900139000", "loan-approval", "b-ref", DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_signed_inquiry_gets_the_report_and_each_inquiry_counts_in_the_next()
    {
        using var http = new HttpClient { BaseAddress = new Uri(simulator.Url + "/") };
        (await http.PutAsJsonAsync("simulator/people/110101198001010019", new { openLoans = 2, openBalance = 31000.5m, monthlyRepayments = 2400, worstDaysPastDue24m = 95, delinquentAccounts24m = 1 }))
            .EnsureSuccessStatusCode();

        CreditReport first = await Bureau().InquireAsync(About("110101198001010019"), CancellationToken.None);
        CreditReport second = await Bureau().InquireAsync(About("110101198001010019"), CancellationToken.None);

        Assert.True(first.Found);
        Assert.Equal((2, 31000.5m, 2400m, 95, 1), (first.OpenLoans, first.OpenBalance, first.MonthlyRepayments, first.WorstDaysPastDue24m, first.DelinquentAccounts24m));
        Assert.Equal((0, 0, 0), (first.Inquiries1m, first.Inquiries3m, first.Inquiries6m));
        Assert.Equal((1, 1, 1), (second.Inquiries1m, second.Inquiries3m, second.Inquiries6m));
        Assert.NotEqual(first.ReportId, second.ReportId);

        CreditReport unknown = await Bureau().InquireAsync(About("110101199003070011"), CancellationToken.None);
        Assert.Equal((true, 0, 0), (unknown.Found, unknown.OpenLoans, unknown.WorstDaysPastDue24m));
    }

    [Fact]
    public async Task A_wrong_secret_a_busy_bureau_and_no_bureau_are_each_unavailable()
    {
        var refused = await Assert.ThrowsAsync<CreditBureauUnavailableException>(() => Bureau("d3Jvbmc=").InquireAsync(About("110101198001010019"), CancellationToken.None));
        Assert.Contains("401", refused.Message);

        using var http = new HttpClient { BaseAddress = new Uri(simulator.Url + "/") };
        (await http.PostAsJsonAsync("simulator/faults", new { busy = true })).EnsureSuccessStatusCode();
        Assert.Contains("503", (await Assert.ThrowsAsync<CreditBureauUnavailableException>(() => Bureau().InquireAsync(About("110101198001010019"), CancellationToken.None))).Message);
        (await http.PostAsJsonAsync("simulator/faults", new { busy = false })).EnsureSuccessStatusCode();

        var nobody = new HttpCreditBureau(new HttpClient { Timeout = TimeSpan.FromSeconds(2) }, new Uri("http://127.0.0.1:9/"), Member, Secret, TimeProvider.System);
        await Assert.ThrowsAsync<CreditBureauUnavailableException>(() => nobody.InquireAsync(About("110101198001010019"), CancellationToken.None));
        await Assert.ThrowsAsync<CreditBureauUnavailableException>(() => new UnconfiguredCreditBureau().InquireAsync(About("110101198001010019"), CancellationToken.None));

        // None of the refused calls was recorded as an inquiry.
        Assert.Empty(await http.GetFromJsonAsync<object[]>("simulator/inquiries") ?? []);
    }
}
