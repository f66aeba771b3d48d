using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using JisuDai.Tests;
using Microsoft.IdentityModel.JsonWebTokens;
using static JisuDai.Standalone.Tests.Borrowing;

namespace JisuDai.Standalone.Tests;

/// <summary>A borrower's app signs up and signs in with an SMS code, and keeps its sign-in with refresh tokens, over HTTP.</summary>
public sealed class SignInTests : IAsyncLifetime
{
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    StandaloneProcess Start() => StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });

    static async Task<JsonElement> SignInAsync(StandaloneProcess host, string phone, string code)
    {
        using HttpResponseMessage signedIn = await host.Anonymous.PostAsJsonAsync("auth/tokens", new { phone, code, device = "iPhone-1" });
        Assert.True(signedIn.StatusCode == HttpStatusCode.OK, await signedIn.Content.ReadAsStringAsync());
        return await signedIn.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_borrower_signs_up_with_a_code_applies_with_the_token_and_a_reused_refresh_token_ends_the_sign_in()
    {
        await using StandaloneProcess host = Start();
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        await DecideAllAsync(host, "approve");
        const string phone = "+8613800138000";

        // A code is sent; asking again within the minute is a 429 saying when to ask again.
        using (HttpResponseMessage sent = await host.Anonymous.PostAsJsonAsync("auth/codes", new { phone }))
        {
            Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
            Assert.Equal(300, (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("expiresInSeconds").GetInt32());
        }

        for (int i = 0; i < 10; i++)
        {
            using HttpResponseMessage again = await host.Anonymous.PostAsJsonAsync("auth/codes", new { phone });
            Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
            Assert.InRange(again.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await host.Anonymous.PostAsJsonAsync("auth/codes", new { phone = "13800138000" })).StatusCode);

        // The code signs the number up: an ES256 access token whose key the app can fetch, and a refresh token.
        JsonElement tokens = await SignInAsync(host, phone, await CodeSentToAsync(host, phone));
        string customer = tokens.GetProperty("customerId").GetString()!;
        var access = new JsonWebToken(tokens.GetProperty("accessToken").GetString());
        Assert.Equal(("ES256", customer, 900), (access.Alg, access.Subject, tokens.GetProperty("expiresIn").GetInt32()));
        // A gateway finds the keys through the OpenID configuration.
        JsonElement openId = await host.Anonymous.GetFromJsonAsync<JsonElement>(".well-known/openid-configuration");
        Assert.Equal(access.Issuer, openId.GetProperty("issuer").GetString());
        JsonElement jwks = await host.Anonymous.GetFromJsonAsync<JsonElement>(openId.GetProperty("jwks_uri").GetString());
        Assert.Contains(jwks.GetProperty("keys").EnumerateArray(), k => k.GetProperty("kid").GetString() == access.Kid && k.GetProperty("crv").GetString() == "P-256");
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Anonymous.PostAsJsonAsync("auth/tokens", new { phone, code = "123456" })).StatusCode); // a code signs in once

        // The token is the borrower's: they apply with it and read their application back.
        using var borrower = new HttpClient { BaseAddress = host.Anonymous.BaseAddress };
        borrower.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetProperty("accessToken").GetString());
        string id = await SubmitAsync(borrower, "k-signed-in");
        Assert.Equal(customer, (await WaitForStatusAsync(host, borrower, id, "Offered")).GetProperty("customerId").GetString());

        // A refresh spends its token for a new pair; presenting the spent one again revokes the sign-in, the new pair included.
        using HttpResponseMessage refreshed = await host.Anonymous.PostAsJsonAsync("auth/refresh", new { refreshToken = tokens.GetProperty("refreshToken").GetString() });
        JsonElement renewed = await refreshed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((HttpStatusCode.OK, customer), (refreshed.StatusCode, renewed.GetProperty("customerId").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.PostAsJsonAsync("auth/refresh", new { refreshToken = tokens.GetProperty("refreshToken").GetString() })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.PostAsJsonAsync("auth/refresh", new { refreshToken = renewed.GetProperty("refreshToken").GetString() })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.PostAsJsonAsync("auth/refresh", new { refreshToken = "rt1.x.y.1.z" })).StatusCode);
    }

    [Fact]
    public async Task The_fifth_wrong_code_locks_the_number_and_logging_out_ends_another_numbers_sign_in()
    {
        await using StandaloneProcess host = Start();
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        const string phone = "+8613900000011", other = "+8613900000022";

        Assert.Equal(HttpStatusCode.Accepted, (await host.Anonymous.PostAsJsonAsync("auth/codes", new { phone = other })).StatusCode);
        JsonElement first = await SignInAsync(host, other, await CodeSentToAsync(host, other));

        Assert.Equal(HttpStatusCode.Accepted, (await host.Anonymous.PostAsJsonAsync("auth/codes", new { phone })).StatusCode);
        string code = await CodeSentToAsync(host, phone);
        string wrong = code == "000000" ? "000001" : "000000";
        for (int i = 1; i <= 4; i++)
        {
            using HttpResponseMessage refused = await host.Anonymous.PostAsJsonAsync("auth/tokens", new { phone, code = wrong });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains($"{5 - i} tries left", await refused.Content.ReadAsStringAsync());
        }

        using (HttpResponseMessage locked = await host.Anonymous.PostAsJsonAsync("auth/tokens", new { phone, code = wrong }))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.InRange(locked.Headers.RetryAfter!.Delta!.Value.TotalMinutes, 29, 30);
        }

        // Locked: the right code no longer works, and no new code is sent.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.Anonymous.PostAsJsonAsync("auth/tokens", new { phone, code })).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await host.Anonymous.PostAsJsonAsync("auth/codes", new { phone })).StatusCode);

        // The other number is untouched; logging out ends its sign-in.
        using (HttpResponseMessage loggedOut = await host.Anonymous.PostAsJsonAsync("auth/logout", new { refreshToken = first.GetProperty("refreshToken").GetString() }))
        {
            Assert.Equal(HttpStatusCode.NoContent, loggedOut.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.PostAsJsonAsync("auth/refresh", new { refreshToken = first.GetProperty("refreshToken").GetString() })).StatusCode);
    }
}
