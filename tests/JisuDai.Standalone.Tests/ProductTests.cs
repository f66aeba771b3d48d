using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JisuDai.App.Security;
using JisuDai.Tests;
using static JisuDai.Standalone.Tests.Borrowing;

namespace JisuDai.Standalone.Tests;

/// <summary>Products are data: a lender publishes a new version or a new product through four eyes, without a release, and what was taken under a version keeps it.</summary>
public sealed class ProductTests : IAsyncLifetime
{
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    static StringContent Json(JsonNode document) => new(document.ToJsonString(), Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_product_version_published_by_two_admins_applies_to_new_applications_while_loans_taken_before_keep_their_terms()
    {
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string>
        {
            ["JisuDai__PaymentSimulatorSettleMs"] = "100",
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
        });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        await DecideAllAsync(host, "approve");
        using HttpClient applicant = host.As("cust-products", Roles.Applicant);

        // The first start published the built-in Express as version 1; a borrower's app reads it.
        JsonElement offered = Assert.Single((await applicant.GetFromJsonAsync<JsonElement>("products")).EnumerateArray());
        JsonObject express = JsonNode.Parse(offered.GetProperty("product").GetRawText())!.AsObject();
        Assert.Equal(("express", 1, 0.02m), ((string)express["code"]!, (int)express["version"]!, (decimal)express["originationFeeRate"]!));

        // Taken under version 1: a 2% fee.
        string before = await SubmitAsync(applicant, "k-v1");
        JsonElement first = await WaitForStatusAsync(host, applicant, before, "Offered");
        Assert.Equal((1, 19_600m), (first.GetProperty("productVersion").GetInt32(), first.GetProperty("offer").GetProperty("netDisbursement").GetDecimal()));

        // Version 2: a 1% fee and up to 80,000 yuan. A document at fault is refused by JSON path, one for a version already taken by 409.
        JsonObject v2 = express.DeepClone().AsObject();
        v2["version"] = 2;
        v2["originationFeeRate"] = 0.01m;
        v2["maxAmount"] = 80_000m;
        v2["description"] = "Lower fee, higher ceiling.";
        JsonObject faulty = v2.DeepClone().AsObject();
        faulty["minTerm"] = "three";
        faulty["delinquency"]!["graceDays"] = null;
        using (HttpResponseMessage bad = await host.Client.PostAsync("products", Json(faulty)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal(["delinquency.graceDays", "minTerm"], (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        }

        JsonObject stale = v2.DeepClone().AsObject();
        stale["version"] = 1;
        Assert.Equal(HttpStatusCode.Conflict, (await host.Client.PostAsync("products", Json(stale))).StatusCode);
        JsonElement validated = await (await host.Client.PostAsync("products/validate", Json(v2))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((true, 2), (validated.GetProperty("valid").GetBoolean(), validated.GetProperty("nextVersion").GetInt32()));

        // Proposed by one admin, it is in force only when a second approves it.
        JsonElement request = await RequestOf(await host.Client.PostAsync("products", Json(v2)));
        using (HttpResponseMessage own = await host.Client.PostAsJsonAsync($"staff-requests/{request.GetProperty("id").GetString()}/approval", new { digest = request.GetProperty("digest").GetString() }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        }

        Assert.Equal(1, (await applicant.GetFromJsonAsync<JsonElement>("products"))[0].GetProperty("product").GetProperty("version").GetInt32());
        JsonElement published = await ApproveAsync(host, request);
        Assert.Equal(("admin-1", "admin-2"), (published.GetProperty("proposedBy").GetString(), published.GetProperty("approvedBy").GetString()));
        Assert.Equal(80_000m, (await applicant.GetFromJsonAsync<JsonElement>("products"))[0].GetProperty("product").GetProperty("maxAmount").GetDecimal());
        Assert.Equal([2, 1], (await host.Client.GetFromJsonAsync<JsonElement>("products/express/versions")).EnumerateArray().Select(p => p.GetProperty("product").GetProperty("version").GetInt32()));

        // The offer made under version 1 is booked under it: the borrower receives what they were offered, and the loan keeps version 1's terms.
        Assert.Equal(HttpStatusCode.Accepted, (await AcceptAsync(applicant, before)).StatusCode);
        await WaitForStatusAsync(host, applicant, before, "Disbursed", seconds: 120);
        Assert.Equal(19_600m, Assert.Single(await TransfersAsync(host, before)).GetProperty("transfer_amount").GetDecimal() / 100m);
        JsonElement loan = await applicant.GetFromJsonAsync<JsonElement>($"loans/loan-{before}");
        Assert.Equal((1, 0.02m, 50_000m), (loan.GetProperty("product").GetProperty("version").GetInt32(),
            loan.GetProperty("product").GetProperty("originationFeeRate").GetDecimal(), loan.GetProperty("product").GetProperty("maxAmount").GetDecimal()));

        // A new application takes version 2: 60,000 yuan (beyond version 1's ceiling) at a 1% fee.
        var body = JsonNode.Parse(JsonSerializer.Serialize(Application(amount: 60_000m, phone: "+8613900000097")))!;
        body["idNumber"] = "110101199003070214";
        using HttpClient second = host.As("cust-products-2", Roles.Applicant);
        string after = await SubmitAsync(second, "k-v2", body);
        JsonElement next = await WaitForStatusAsync(host, second, after, "Offered");
        Assert.Equal((2, 59_400m), (next.GetProperty("productVersion").GetInt32(), next.GetProperty("offer").GetProperty("netDisbursement").GetDecimal()));

        // A new product, and Express withdrawn (version 3, not offered): new applications take only what is offered.
        JsonObject salary = v2.DeepClone().AsObject();
        (salary["code"], salary["version"], salary["maxAmount"], salary["maxTerm"]) = ("salary", 1, 8_000m, 6);
        await ApproveAsync(host, await RequestOf(await host.Client.PostAsync("products", Json(salary))));
        JsonObject withdrawn = v2.DeepClone().AsObject();
        (withdrawn["version"], withdrawn["offered"]) = (3, false);
        await ApproveAsync(host, await RequestOf(await host.Client.PostAsync("products", Json(withdrawn))));
        Assert.Equal(["salary"], (await applicant.GetFromJsonAsync<JsonElement>("products")).EnumerateArray().Select(p => p.GetProperty("product").GetProperty("code").GetString()));

        using HttpClient third = host.As("cust-products-3", Roles.Applicant);
        using (var express3 = new HttpRequestMessage(HttpMethod.Post, "applications") { Content = JsonContent.Create(Application()) })
        {
            express3.Headers.Add("Idempotency-Key", "k-express");
            using HttpResponseMessage refused = await third.SendAsync(express3);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("salary", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("productCode")[0].GetString());
        }

        var salaried = JsonNode.Parse(JsonSerializer.Serialize(Application(amount: 9_000m, phone: "+8613900000095")))!;
        (salaried["productCode"], salaried["termMonths"], salaried["idNumber"]) = ("salary", 6, "110101199003070310"); // a third person: one ID number is one customer
        using (var tooMuch = new HttpRequestMessage(HttpMethod.Post, "applications") { Content = JsonContent.Create(salaried) })
        {
            tooMuch.Headers.Add("Idempotency-Key", "k-salary-9000");
            using HttpResponseMessage refused = await third.SendAsync(tooMuch);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal(["amount"], (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        }

        salaried["amount"] = 5_000m;
        string salaryApplication = await SubmitAsync(third, "k-salary", salaried);
        Assert.Equal(("salary", 1), ((await third.GetFromJsonAsync<JsonElement>($"applications/{salaryApplication}")).GetProperty("productCode").GetString(),
            (await third.GetFromJsonAsync<JsonElement>($"applications/{salaryApplication}")).GetProperty("productVersion").GetInt32()));
    }
}
