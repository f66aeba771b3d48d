using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static JisuDai.Standalone.Tests.Borrowing;
using JisuDai.App.Security;
using JisuDai.Tests;

namespace JisuDai.Standalone.Tests;

/// <summary>Staff actions on loans over HTTP: restructuring a loan and the write-off proposals, with their roles and errors.</summary>
public sealed class LoanAdministrationTests : IAsyncLifetime
{
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    [Fact]
    public async Task Staff_restructure_a_loan_once_by_reference_and_only_admins_see_and_approve_write_offs()
    {
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        await DecideAllAsync(host, "approve");
        using HttpClient applicant = host.As("cust-admin", Roles.Applicant);
        using HttpClient reviewer = host.As("staff-1", Roles.Reviewer);
        string id = await SubmitAsync(applicant, "a1");
        await WaitForStatusAsync(host, applicant, id, "Offered");
        Assert.Equal(HttpStatusCode.Accepted, (await AcceptAsync(applicant, id)).StatusCode);
        await WaitForStatusAsync(host, applicant, id, "Disbursed");
        string loan = $"loan-{id}";

        // The borrower cannot restructure their own loan; bad terms are named, and change nothing.
        Assert.Equal(HttpStatusCode.Forbidden, (await applicant.PostAsJsonAsync($"loans/{loan}/restructurings", new { reference = "rs-1", annualRate = 0.1, termMonths = 12 })).StatusCode);
        using HttpResponseMessage bad = await reviewer.PostAsJsonAsync($"loans/{loan}/restructurings", new { reference = "rs-1", annualRate = 0.5, termMonths = 60 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        JsonElement errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("annualRate", out _) && errors.TryGetProperty("termMonths", out _), errors.ToString());
        // Within the product: not below its 6% floor, whoever asks; and no staff member restructures their own loan.
        using HttpResponseMessage free = await reviewer.PostAsJsonAsync($"loans/{loan}/restructurings", new { reference = "rs-0", annualRate = 0, termMonths = 12 });
        Assert.Equal(HttpStatusCode.BadRequest, free.StatusCode);
        Assert.True((await free.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("annualRate", out _));
        using HttpClient ownStaff = host.As("cust-admin", Roles.Reviewer);
        Assert.Equal(HttpStatusCode.Forbidden, (await ownStaff.PostAsJsonAsync($"loans/{loan}/restructurings", new { reference = "rs-own", annualRate = 0.1, termMonths = 12 })).StatusCode);
        using HttpResponseMessage missing = await reviewer.PostAsJsonAsync($"loans/{loan}/restructurings", new { reference = "rs-1" });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("Active", (await applicant.GetFromJsonAsync<JsonElement>($"loans/{loan}")).GetProperty("status").GetString());

        // Proposed by one member of staff, nothing changes until a second one approves exactly that proposal.
        using HttpClient checker = host.As("staff-2", Roles.Reviewer);
        using HttpResponseMessage proposed = await reviewer.PostAsJsonAsync($"loans/{loan}/restructurings", new { reference = "rs-1", annualRate = 0.1, termMonths = 18 });
        Assert.True(proposed.StatusCode == HttpStatusCode.Accepted, await proposed.Content.ReadAsStringAsync());
        JsonElement request = (await proposed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("request");
        string requestId = request.GetProperty("id").GetString()!, digest = request.GetProperty("digest").GetString()!;
        Assert.Equal("Active", (await applicant.GetFromJsonAsync<JsonElement>($"loans/{loan}")).GetProperty("status").GetString());
        Assert.Contains(requestId, (await checker.GetFromJsonAsync<JsonElement>("staff-requests")).EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.PostAsJsonAsync($"staff-requests/{requestId}/approval", new { digest })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await checker.PostAsJsonAsync($"staff-requests/{requestId}/approval", new { digest = "not-it" })).StatusCode);
        using HttpResponseMessage approved = await checker.PostAsJsonAsync($"staff-requests/{requestId}/approval", new { digest });
        Assert.True(approved.StatusCode == HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        JsonElement recorded = (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result").GetProperty("restructuring");
        Assert.Equal(("staff-1", "staff-2"), (recorded.GetProperty("agreedBy").GetString(), recorded.GetProperty("approvedBy").GetString()));

        // Restructured over 18 months: the loan shows the new installments; the same request again is answered as recorded.
        Assert.Equal(HttpStatusCode.OK, (await reviewer.PostAsJsonAsync($"loans/{loan}/restructurings", new { reference = "rs-1", annualRate = 0.1, termMonths = 18 })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await reviewer.PostAsJsonAsync($"loans/{loan}/restructurings", new { reference = "rs-1", annualRate = 0.1, termMonths = 6 })).StatusCode);
        JsonElement view = await applicant.GetFromJsonAsync<JsonElement>($"loans/{loan}");
        Assert.Equal("Restructured", view.GetProperty("status").GetString());
        Assert.Equal(18, view.GetProperty("schedule").GetArrayLength());
        Assert.Equal(Enumerable.Range(13, 18), view.GetProperty("schedule").EnumerateArray().Select(i => i.GetProperty("number").GetInt32()));
        Assert.Equal(20000m, view.GetProperty("schedule").EnumerateArray().Sum(i => i.GetProperty("principal").GetDecimal()));

        // Write-offs are for admins; there is no proposal for a month the timer has not reached.
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.GetAsync("write-offs/2026-11")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await applicant.PostAsync("write-offs/2026-11/approval", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("write-offs/2026-11")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.PostAsync("write-offs/2026-11/approval", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("write-offs/november")).StatusCode);
    }
}
