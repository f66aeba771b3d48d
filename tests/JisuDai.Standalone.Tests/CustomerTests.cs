using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using JisuDai.Tests;
using static JisuDai.Standalone.Tests.Borrowing;

namespace JisuDai.Standalone.Tests;

/// <summary>One person is one customer: real-name verification before the first application, and a second sign-up with the same ID number reaching the first customer.</summary>
public sealed class CustomerTests : IAsyncLifetime
{
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    static Task<HttpResponseMessage> VerifyAsync(HttpClient customer, string phone, string idNumber = ValidIdNumber, string name = "Zhang San", string? card = null) =>
        customer.PostAsJsonAsync("customers/me/verification", new { name, idNumber, phone, bankAccount = card ?? CardOf(phone) });

    static async Task<HttpResponseMessage> SubmitRawAsync(HttpClient customer, string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "applications") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return await customer.SendAsync(request);
    }

    [Fact]
    public async Task Only_a_verified_customer_applies_as_the_person_they_verified_and_the_same_id_number_under_a_second_phone_is_the_same_customer()
    {
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        await DecideAllAsync(host, "approve");
        const string first = "+8613800138000", second = "+8613900139000";
        HttpClient zhang = await SignUpAsync(host, first);
        string customer = (await zhang.GetFromJsonAsync<JsonElement>("customers/me")).GetProperty("customerId").GetString()!;

        // Unverified: no application; the profile says so.
        Assert.Equal("unverified", (await zhang.GetFromJsonAsync<JsonElement>("customers/me")).GetProperty("verification").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await SubmitRawAsync(zhang, "k-early", Application(phone: first))).StatusCode);

        // Verification: the number must be the one signed up with; a card the bank holds for someone else fails the check.
        using (HttpResponseMessage otherPhone = await VerifyAsync(zhang, "+8613700137000"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, otherPhone.StatusCode);
            Assert.Equal(["phone"], (await otherPhone.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        }

        using (HttpResponseMessage verified = await VerifyAsync(zhang, first))
        {
            JsonElement answer = await verified.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(verified.StatusCode == HttpStatusCode.OK, answer.ToString());
            Assert.Equal((customer, false), (answer.GetProperty("customerId").GetString(), answer.GetProperty("signInAgain").GetBoolean()));
        }

        JsonElement profile = await zhang.GetFromJsonAsync<JsonElement>("customers/me");
        Assert.Equal(("verified", "1101**********0011", "****" + CardOf(first)[^4..]), (profile.GetProperty("verification").GetString(),
            profile.GetProperty("identity").GetProperty("idNumber").GetString(), profile.GetProperty("identity").GetProperty("bankAccount").GetString()));

        // Applying as someone else, or to a card not verified, is refused by field; as verified, it is decided.
        var asOther = JsonNode.Parse(JsonSerializer.Serialize(Application(phone: first)))!;
        (asOther["idNumber"], asOther["bankAccount"]) = ("110101199003070214", "6222020299999992");
        using (HttpResponseMessage refused = await SubmitRawAsync(zhang, "k-other", asOther))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal(["bankAccount", "idNumber"], (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        }

        string application = await SubmitAsync(zhang, "k-zhang", Application(phone: first));
        await WaitForStatusAsync(host, zhang, application, "Offered");
        Assert.Equal("Approve", (await zhang.GetFromJsonAsync<JsonElement>("customers/me")).GetProperty("standing").GetProperty("outcome").GetString());

        // The same person signs up again with a second phone: verified with their ID number, they are the first customer.
        HttpClient again = await SignUpAsync(host, second);
        string newcomer = (await again.GetFromJsonAsync<JsonElement>("customers/me")).GetProperty("customerId").GetString()!;
        Assert.NotEqual(customer, newcomer);
        using (HttpResponseMessage stolen = await VerifyAsync(again, second, card: CardOf(first)))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, stolen.StatusCode); // the first phone's card is not this phone's
        }

        JsonElement merged = await (await VerifyAsync(again, second)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((customer, true), (merged.GetProperty("customerId").GetString(), merged.GetProperty("signInAgain").GetBoolean()));
        Assert.Equal(customer, (await again.GetFromJsonAsync<JsonElement>("customers/me")).GetProperty("mergedInto").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await SubmitRawAsync(again, "k-again", Application(phone: second))).StatusCode);

        // Signing in again with the second phone reaches the first customer, with their history (a code per minute per number).
        await Task.Delay(TimeSpan.FromSeconds(61));
        HttpClient reached = await SignUpAsync(host, second);
        JsonElement theirs = await reached.GetFromJsonAsync<JsonElement>("customers/me");
        Assert.Equal((customer, "Approve"), (theirs.GetProperty("customerId").GetString(), theirs.GetProperty("standing").GetProperty("outcome").GetString()));
        Assert.Equal(application, (await reached.GetFromJsonAsync<JsonElement>($"applications/{application}")).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_reviewer_whose_registered_identity_is_the_applicants_may_not_decide_the_application()
    {
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        await DecideAllAsync(host, "review");

        // The reviewer's own ID number is registered through four eyes; they also hold a customer account under another identity.
        using (HttpResponseMessage bad = await host.Client.PutAsJsonAsync("staff/rev-9/identity", new { idNumber = "110101199003070012" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        await ApproveAsync(host, await host.Client.PutAsJsonAsync("staff/rev-9/identity", new { idNumber = ValidIdNumber }));
        using HttpClient ownAccount = host.As("cust-rev-9-private", JisuDai.App.Security.Roles.Applicant);
        string id = await SubmitAsync(ownAccount, "k-own");
        await WaitForStatusAsync(host, ownAccount, id, "InReview");

        using (HttpResponseMessage own = await host.As("rev-9", JisuDai.App.Security.Roles.Reviewer).PostAsJsonAsync($"reviews/{id}/decision", new { approve = true, amount = 20000, annualRate = 0.15 }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, own.StatusCode);
        }

        using HttpResponseMessage other = await host.As("rev-1", JisuDai.App.Security.Roles.Reviewer).PostAsJsonAsync($"reviews/{id}/decision", new { approve = true, amount = 20000, annualRate = 0.15 });
        Assert.True(other.IsSuccessStatusCode, await other.Content.ReadAsStringAsync());
    }
}
