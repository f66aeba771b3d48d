using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using JisuDai.Tests;
using static JisuDai.Standalone.Tests.Borrowing;

namespace JisuDai.Standalone.Tests;

/// <summary>Behaviour and device data over HTTP: what apps report, what sign-ins leave, and both as features in a decision's record.</summary>
public sealed class BehaviourTests : IAsyncLifetime
{
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    static object Event(string id, string kind, DateTimeOffset at, string? name = null, long? durationMs = null, string device = "dev-shared", bool emulator = false) => new
    {
        id, kind, at, name, durationMs, device = new { id = device, os = "android", osVersion = "14", model = "Pixel 8", screen = "1080x2400", timeZone = "Asia/Shanghai", language = "zh-CN", emulator, rooted = false },
    };

    [Fact]
    public async Task A_device_shared_by_many_customers_fires_the_device_rule_and_the_features_are_in_the_decision_record()
    {
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        await DecideAllAsync(host, "approve"); // the default rules with every tier approving: what stops this one is the fraud table

        // Three other people sign in on the device the applicant will use.
        foreach (string phone in new[] { "+8613700137001", "+8613700137002", "+8613700137003" })
        {
            await SignUpAsync(host, phone, device: "dev-shared");
        }

        const string applicantPhone = "+8613800138000";
        HttpClient applicant = await SignUpAsync(host, applicantPhone, device: "dev-shared");
        DateTimeOffset now = DateTimeOffset.UtcNow;

        // Bad batches change nothing and name the field.
        foreach ((object body, string field) in new (object, string)[]
        {
            (new { events = Array.Empty<object>() }, "events"),
            (new { events = new[] { Event("e1", "sign-in", now) } }, "events[0].kind"),
            (new { events = new[] { Event("e1", "page-view", now) } }, "events[0].name"),
            (new { events = new[] { Event("e1", "app-open", now.AddHours(1)) } }, "events[0].at"),
            (new { events = new[] { Event("e1", "app-open", now), Event("e1", "app-open", now) } }, "events[1].id"),
            (new { events = new[] { Event("e1", "operation", now, "application-form", -5) } }, "events[0].durationMs"),
        })
        {
            using HttpResponseMessage refused = await applicant.PostAsJsonAsync("events", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            JsonElement problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field}: {problem}");
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Anonymous.PostAsJsonAsync("events", new { events = new[] { Event("e1", "app-open", now) } })).StatusCode);

        // The form took 95 s; sent twice (an app retrying), it is one event.
        object batch = new { events = new[] { Event("open-1", "app-open", now.AddMinutes(-3)), Event("form-1", "operation", now.AddMinutes(-2), "application-form", 95_000) } };
        for (int attempt = 0; attempt < 2; attempt++)
        {
            using HttpResponseMessage accepted = await applicant.PostAsJsonAsync("events", batch);
            Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
            Assert.Equal(2, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        }

        // The body's ip is not believed: the address is the connection's (all four customers came from 127.0.0.1).
        JsonNode application = JsonNode.Parse(JsonSerializer.Serialize(Application(phone: applicantPhone)))!;
        application["deviceId"] = "dev-shared";
        application["ip"] = "203.0.113.9";
        string id = await SubmitAsync(applicant, "k-shared", application);
        JsonElement decision = await DecisionOfAsync(host, applicant, id);
        JsonElement behaviour = decision.GetProperty("behaviour");
        Assert.Equal(4, behaviour.GetProperty("customersPerDevice30d").GetInt32());
        Assert.True(behaviour.GetProperty("customersPerAddress30d").GetInt32() >= 4, behaviour.ToString());
        Assert.Equal(1, behaviour.GetProperty("customersPerCard30d").GetInt32());
        Assert.Equal(1, behaviour.GetProperty("devicesPerCustomer30d").GetInt32());
        Assert.Equal(0, behaviour.GetProperty("deviceAgeDays").GetInt32());
        Assert.Equal(1, behaviour.GetProperty("signIns30d").GetInt32());
        Assert.Equal(95, behaviour.GetProperty("formFillSeconds").GetDouble());
        Assert.False(behaviour.GetProperty("emulator").GetBoolean());
        Assert.InRange(behaviour.GetProperty("hoursSinceSignUp").GetDouble(), 0, 1);
        Assert.Contains(decision.GetProperty("result").GetProperty("fired").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "FRD-DEVICE-SIGNINS");
        Assert.Equal("review", decision.GetProperty("result").GetProperty("outcome").GetString());
    }
}
