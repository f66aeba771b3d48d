using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using JisuDai.App.Security;
using JisuDai.Functions;
using JisuDai.Standalone.Functions;
using JisuDai.Tests;
using Xunit.Abstractions;
using static JisuDai.Standalone.Tests.Borrowing;

namespace JisuDai.Standalone.Tests;

/// <summary>
/// Generated and mutated requests over every route the host serves, most of them carrying a token of a role the route
/// accepts so they reach validation: none may answer 5xx, and a refusal (4xx) must write nothing. Counts per route and
/// status are printed. The generator is seeded, so a failure names a request that can be sent again.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    const int Requests = 10_000;
    const int WriteChecks = 150;
    const string Phone = "+8613600136000";
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    /// <summary>One request as sent, kept so it can be sent again.</summary>
    sealed record Sent(string Function, HttpMethod Method, string Path, string? Token, string? ContentType, byte[]? Body, string? IdempotencyKey)
    {
        public HttpRequestMessage ToMessage()
        {
            var message = new HttpRequestMessage(Method, Path);
            if (Token is not null)
            {
                message.Headers.TryAddWithoutValidation("Authorization", $"Bearer {Token}");
            }

            if (IdempotencyKey is not null)
            {
                message.Headers.TryAddWithoutValidation("Idempotency-Key", IdempotencyKey);
            }

            if (Body is not null)
            {
                message.Content = new ByteArrayContent(Body);
                if (ContentType is not null)
                {
                    message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
                }
            }

            return message;
        }

        public override string ToString() =>
            $"{Method} {Path} token={(Token is null ? "none" : Token[..Math.Min(12, Token.Length)] + "…")} type={ContentType} key={IdempotencyKey} body={(Body is null ? "none" : Encoding.UTF8.GetString(Body[..Math.Min(Body.Length, 200)]))}";
    }

    [Fact]
    public async Task Ten_thousand_generated_and_mutated_requests_over_every_route_answer_no_5xx_and_a_refusal_writes_nothing()
    {
        const string never = "0 0 0 1 1 *"; // the timers stay still: only the requests write
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["JisuDai__Limits__Enabled"] = "false",
            ["PurgeHistorySchedule"] = never, ["IntakeSweepSchedule"] = never, ["OverdueSweepSchedule"] = never, ["WriteOffProposalSchedule"] = never, ["RiskMonitoringSchedule"] = never, ["RetrainingSchedule"] = never,
            ["ReconciliationSchedule"] = never, ["AuditAnchorSchedule"] = never, ["EventPublishSchedule"] = never,
            ["Logging__LogLevel__Default"] = "Warning",
        });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));

        // What the requests can point at: a customer with an application in review, its decision.
        await DecideAllAsync(host, "review");
        HttpClient customer = await SignUpAsync(host, Phone, "dev-fuzz");
        string applicationId = await SubmitAsync(customer, "k-fuzz", FuzzApplication());
        JsonElement application = await WaitForStatusAsync(host, customer, applicationId, "InReview");
        string customerId = (await customer.GetFromJsonAsync<JsonElement>("customers/me")).GetProperty("customerId").GetString()!;
        string decisionId = application.GetProperty("decisionId").GetString()!;
        string applicant = customer.DefaultRequestHeaders.Authorization!.Parameter!;

        var tokens = new Dictionary<string, string>
        {
            ["applicant"] = applicant,
            ["reviewer"] = TestTokens.For("fuzz-reviewer", Roles.Reviewer),
            ["admin"] = TestTokens.Admin,
        };
        string[] known = [applicationId, customerId, decisionId, "me", "default", "credit-risk", "express", "2026-12", "2026-12-01"];

        IReadOnlyList<HttpFunction> routes = FunctionCatalog.Load().Http;
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { BaseAddress = host.Anonymous.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

        // Which tokens each route lets through to its validation (neither 401 nor 403 with an empty object, on ids that
        // exist nowhere, so the probe itself changes nothing).
        var accepts = new Dictionary<string, string[]>();
        foreach (HttpFunction route in routes)
        {
            var passing = new List<string>();
            foreach ((string role, string token) in tokens)
            {
                Sent probe = new(route.Name, new HttpMethod(route.Verbs[0].ToUpperInvariant()), Fill(route.Route, _ => "fuzz-probe"), token, "application/json",
                    route.Verbs[0] is "get" ? null : "{}"u8.ToArray(), null);
                using HttpResponseMessage answer = await client.SendAsync(probe.ToMessage());
                if (answer.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
                {
                    passing.Add(role);
                }
            }

            accepts[route.Name] = [.. passing];
        }

        var random = new Random(20261203);
        var requests = new List<Sent>(Requests);
        for (int i = 0; i < Requests; i++)
        {
            HttpFunction route = routes[i % routes.Count];
            requests.Add(Generate(route, accepts[route.Name], tokens, known, random));
        }

        int withRoleToken = requests.Count(r => r.Token is not null && accepts[r.Function].Any(role => tokens[role] == r.Token));
        var answers = new ConcurrentBag<(Sent Request, int Status, string Body)>();
        int done = 0;
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (request, ct) =>
        {
            using HttpRequestMessage message = request.ToMessage();
            using HttpResponseMessage response = await client.SendAsync(message, ct);
            string body = (int)response.StatusCode >= 500 ? await response.Content.ReadAsStringAsync(ct) : "";
            answers.Add((request, (int)response.StatusCode, body));
            if (Interlocked.Increment(ref done) % 2_000 == 0)
            {
                output.WriteLine($"{done}/{Requests} sent");
            }
        });

        var table = answers.GroupBy(a => a.Request.Function).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key,-36} {string.Join(" ", g.GroupBy(a => a.Status).OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Count()}"))}");
        output.WriteLine($"{answers.Count} requests over {routes.Count} routes, {withRoleToken} with a token of a role the route accepts:");
        foreach (string line in table)
        {
            output.WriteLine(line);
        }

        Assert.True(withRoleToken * 2 >= Requests, $"Only {withRoleToken} of {Requests} requests carried a token of the route's role.");
        Assert.Equal(routes.Select(r => r.Name).Order(), answers.Select(a => a.Request.Function).Distinct().Order());
        var failures = answers.Where(a => a.Status >= 500).Take(5).Select(a => $"{a.Status} for {a.Request}: {a.Body}").ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // A refusal writes nothing: refused requests sent again one at a time, the storage account compared before and
        // after each. Sign-in is left out: a wrong code is counted towards the lock-out and a refresh token presented
        // again revokes its family, both on purpose.
        await QuietAsync();
        var refused = answers.Where(a => a.Status is >= 400 and < 500 && a.Request.Function is not ("SignIn" or "RefreshSignIn" or "SendSignInCode"))
            .Select(a => a.Request).OrderBy(_ => random.Next()).Take(WriteChecks).ToList();
        foreach (Sent request in refused)
        {
            string before = await SnapshotAsync();
            using HttpRequestMessage message = request.ToMessage();
            using HttpResponseMessage response = await client.SendAsync(message);
            if ((int)response.StatusCode is < 400 or >= 500)
            {
                continue; // answered differently the second time (an idempotent retry, say): not a refusal now
            }

            string after = await SnapshotAsync();
            Assert.True(before == after, $"{(int)response.StatusCode} for {request} changed storage:\n{Difference(before, after)}");
        }

        output.WriteLine($"{refused.Count} refusals sent again wrote nothing.");
    }

    static Sent Generate(HttpFunction route, string[] accepted, Dictionary<string, string> tokens, string[] known, Random random)
    {
        string? token = random.NextDouble() switch
        {
            < 0.65 when accepted.Length > 0 => tokens[accepted[random.Next(accepted.Length)]],
            < 0.80 => tokens.Values.ElementAt(random.Next(tokens.Count)),
            < 0.90 => null,
            < 0.95 => "not-a-token",
            _ => TestTokens.For("someone", Roles.Admin)[..^4] + "AAAA", // a forged signature
        };
        string verb = route.Verbs[random.Next(route.Verbs.Count)];
        string path = Fill(route.Route, _ => random.NextDouble() < 0.5 ? known[random.Next(known.Length)] : Uri.EscapeDataString(Pick(Strings, random)));
        if (random.NextDouble() < 0.3)
        {
            path += $"?{Pick(Fields, random)}={Uri.EscapeDataString(Pick(Strings, random))}&count={Pick(["0", "1", "-5", "1001", "abc", "50"], random)}";
        }

        (string? type, byte[]? body) = verb is "get" ? (null, null) : Body(route, random);
        string? key = verb is "get" || random.NextDouble() < 0.25 ? null : random.NextDouble() < 0.9 ? $"fz-{random.Next(1_000_000)}" : Pick(Strings, random);
        return new Sent(route.Name, new HttpMethod(verb.ToUpperInvariant()), path, token, type, body, key is { Length: > 0 } k && k.All(c => c is >= ' ' and < (char)127) ? k : null);
    }

    static (string? ContentType, byte[]? Body) Body(HttpFunction route, Random random)
    {
        JsonObject sample = Samples.TryGetValue(route.Name, out Func<JsonObject>? make) ? make() : RandomObject(random, 4);
        double roll = random.NextDouble();
        JsonNode? shaped = roll switch
        {
            < 0.10 => sample,
            < 0.45 => Mutate(sample, random),
            < 0.60 => RandomObject(random, random.Next(1, 9)),
            < 0.65 => new JsonArray(sample),
            < 0.70 => JsonValue.Create(Pick(Strings, random)),
            < 0.75 => Deep(random.Next(40, 400)),
            _ => null,
        };
        if (shaped is not null)
        {
            return ("application/json", Encoding.UTF8.GetBytes(shaped.ToJsonString()));
        }

        return roll switch
        {
            < 0.82 => ("application/json", Encoding.UTF8.GetBytes(Pick(["{", "{\"a\":", "nonsense", "[1,2", "{\"amount\":1e999}", "\"\\ud800\"", "{\"a\":1,\"a\":2}", "", " "], random))),
            < 0.88 => ("application/json", Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', random.Next(60_000, 300_000)) + "\"}")),
            < 0.94 => (Pick(["application/octet-stream", "application/pdf", "image/png", "text/plain"], random), RandomNumberGenerator.GetBytes(random.Next(0, 4096))),
            _ => (Pick(["text/plain", null, "application/x-www-form-urlencoded"], random), Encoding.UTF8.GetBytes(sample.ToJsonString())),
        };
    }

    /// <summary>The sample with one field given a value of another kind, or removed, or one field added.</summary>
    static JsonObject Mutate(JsonObject sample, Random random)
    {
        var copy = (JsonObject)sample.DeepClone();
        int changes = random.Next(1, 4);
        for (int c = 0; c < changes; c++)
        {
            string[] names = [.. copy.Select(p => p.Key)];
            double roll = random.NextDouble();
            if (names.Length == 0 || roll < 0.2)
            {
                copy[Pick(Fields, random)] = RandomValue(random, 2);
            }
            else if (roll < 0.35)
            {
                copy.Remove(names[random.Next(names.Length)]);
            }
            else
            {
                copy[names[random.Next(names.Length)]] = RandomValue(random, 2);
            }
        }

        return copy;
    }

    static JsonObject RandomObject(Random random, int fields)
    {
        var o = new JsonObject();
        for (int i = 0; i < fields; i++)
        {
            o[Pick(Fields, random)] = RandomValue(random, 2);
        }

        return o;
    }

    static JsonNode? RandomValue(Random random, int depth) => random.Next(depth > 0 ? 7 : 5) switch
    {
        0 => JsonValue.Create(Pick(Strings, random)),
        1 => JsonValue.Create(Pick(Numbers, random)),
        2 => JsonValue.Create(random.Next(2) == 0),
        3 => null,
        4 => JsonNode.Parse(Pick(["1e30", "-1e30", "1e308", "99999999999999999999999999999", "-0", "0.0000000001", "2147483648", "-9223372036854775809"], random)),
        5 => new JsonArray(RandomValue(random, depth - 1), RandomValue(random, depth - 1)),
        _ => RandomObject(random, random.Next(0, 4)) is var o && depth > 0 ? o : null,
    };

    static JsonNode Deep(int depth)
    {
        JsonNode node = JsonValue.Create(1);
        for (int i = 0; i < depth; i++)
        {
            node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["expression"] = node };
        }

        return node;
    }

    static string Fill(string template, Func<string, string> value) =>
        System.Text.RegularExpressions.Regex.Replace(template, @"\{(\w+)\}", m => value(m.Groups[1].Value));

    static T Pick<T>(IReadOnlyList<T> values, Random random) => values[random.Next(values.Count)];

    static readonly string[] Strings =
    [
        "", " ", "x", "0", "-1", "null", "NaN", "true", new string('a', 300), new string('字', 70), "../../etc/passwd", "%2e%2e%2f", "a/b", "a.b.c", "a|b",
        "<script>alert(1)</script>", "' OR '1'='1", "\u0000", "\t\n", "😀", "\u202e", "１３９００００００００", "+8613800138000\n", "+8613800138000",
        "110101199003070011", "11010119900307001X", "6222020200112230", "6222020200112231", "2026-13-45", "9999-12-31T23:59:59Z", "2026-12-03",
        "express", "approve", "decline", "review", "phone", "idNumber", "device-seen", "admin", "loan-1.c", "app.x",
    ];

    static readonly double[] Numbers = [0, -1, 1, 0.5, 12, 36, 100, 20000, 1e15, -1e15, 3.14159, 1e-9, int.MaxValue, int.MinValue];

    static readonly string[] Fields =
    [
        "amount", "termMonths", "productCode", "name", "idNumber", "phone", "bankAccount", "monthlyIncome", "employmentYears", "housing",
        "monthlyDebtPayments", "existingLoans", "purpose", "deviceId", "code", "device", "refreshToken", "events", "id", "kind", "at",
        "durationMs", "reason", "digest", "payload", "timeoutSeconds", "value", "expiresAt", "version", "action", "tiers", "rules",
        "annualRate", "paidOn", "reference", "principal", "caps", "date", "status", "subject", "documents", "consent", "expression",
        "limit", "outcome", "model", "champion", "idempotencyKey", "type", "bureauConsent", "approvals", "payouts",
    ];

    static readonly Dictionary<string, Func<JsonObject>> Samples = new()
    {
        ["SubmitApplication"] = FuzzApplication,
        ["VerifyCustomer"] = () => new JsonObject { ["name"] = "Sun Fuzz", ["idNumber"] = "110101199202200034", ["phone"] = Phone, ["bankAccount"] = CardOf(Phone) },
        ["RecordEvents"] = () => new JsonObject { ["events"] = new JsonArray(new JsonObject { ["id"] = "e1", ["kind"] = "operation", ["at"] = DateTimeOffset.UtcNow.ToString("O"), ["name"] = "form", ["durationMs"] = 900 }) },
        ["SendSignInCode"] = () => new JsonObject { ["phone"] = Phone },
        ["SignIn"] = () => new JsonObject { ["phone"] = Phone, ["code"] = "123456", ["device"] = "dev-fuzz" },
        ["RefreshSignIn"] = () => new JsonObject { ["refreshToken"] = "rt.x.y" },
        ["DecideApplication"] = FuzzApplication,
        ["ScoreApplication"] = () => new JsonObject { ["age"] = 30, ["monthlyIncome"] = 15000, ["amount"] = 20000, ["termMonths"] = 12 },
        ["HaltLending"] = () => new JsonObject { ["reason"] = "fuzz" },
        ["ApproveStaffRequest"] = () => new JsonObject { ["digest"] = new string('0', 64) },
        ["RejectStaffRequest"] = () => new JsonObject { ["reason"] = "fuzz" },
        ["AddToBlacklist"] = () => new JsonObject { ["kind"] = "phone", ["value"] = "+8613900139000", ["reason"] = "fuzz" },
        ["RemoveFromBlacklist"] = () => new JsonObject { ["kind"] = "phone", ["value"] = "+8613900139000", ["reason"] = "fuzz" },
        ["CreatePayment"] = () => new JsonObject { ["amount"] = 100 },
        ["PostRepayment"] = () => new JsonObject { ["amount"] = 100, ["paidOn"] = "2026-12-03", ["reference"] = "bank-1" },
        ["PostPrepayment"] = () => new JsonObject { ["amount"] = 100, ["paidOn"] = "2026-12-03", ["reference"] = "bank-1" },
        ["StartSignalWait"] = () => new JsonObject { ["timeoutSeconds"] = 5 },
        ["StartRoundTrip"] = () => new JsonObject { ["payload"] = "fuzz" },
        ["ProposeCustomerExport"] = () => new JsonObject { ["reason"] = "fuzz" },
        ["DecideReview"] = () => new JsonObject { ["action"] = "approve", ["amount"] = 10000, ["reason"] = "fuzz" },
        ["AcceptOffer"] = () => new JsonObject { ["device"] = "dev-fuzz", ["documents"] = new JsonObject() },
        ["PostRestructuring"] = () => new JsonObject { ["termMonths"] = 24, ["reason"] = "fuzz" },
        ["ValidateRuleSet"] = () => JsonNode.Parse(JisuDai.Risk.Defaults.DefaultModel.RulesJson())!.AsObject(),
        ["PublishRuleSet"] = () => JsonNode.Parse(JisuDai.Risk.Defaults.DefaultModel.RulesJson())!.AsObject(),
        ["ProposeDailyCaps"] = () => new JsonObject { ["approvals"] = 1000, ["payouts"] = 100000 },
    };

    /// <summary>The fuzzing customer's application: their own name and ID number, the card held to their phone.</summary>
    static JsonObject FuzzApplication()
    {
        JsonObject application = JsonSerializer.SerializeToNode(Application(20000, Phone))!.AsObject();
        application["name"] = "Sun Fuzz";
        application["idNumber"] = "110101199202200034";
        return application;
    }

    /// <summary>Waits until what the requests set going (queued notifications, orchestrations) has finished writing.</summary>
    async Task QuietAsync()
    {
        string last = await SnapshotAsync();
        for (int i = 0; i < 60; i++)
        {
            await Task.Delay(2_000);
            string now = await SnapshotAsync();
            if (now == last)
            {
                return;
            }

            last = now;
        }
    }

    /// <summary>
    /// Every table row's key and timestamp and every blob's name and ETag in the account, one line each. The task hub's
    /// partition table and lease blobs are left out: the host renews its ownership of the hub there all the time.
    /// Its history and instances count by instance only.
    /// </summary>
    async Task<string> SnapshotAsync()
    {
        var lines = new List<string>();
        var tables = new TableServiceClient(azurite.ConnectionString);
        await foreach (Azure.Data.Tables.Models.TableItem item in tables.QueryAsync())
        {
            if (item.Name.EndsWith("Partitions", StringComparison.Ordinal))
            {
                continue;
            }

            // Orchestrations started before go on running (a durable timer fires later): of the task hub's tables only
            // which instances exist counts, so a refusal that started one would show.
            bool taskHub = item.Name is "JisuDaiHistory" or "JisuDaiInstances";
            await foreach (TableEntity row in tables.GetTableClient(item.Name).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey", "Timestamp"]))
            {
                lines.Add(taskHub ? $"table {item.Name} instance {row.PartitionKey}" : $"table {item.Name} {row.PartitionKey}/{row.RowKey} {row.Timestamp:O}");
            }
        }

        var blobs = new BlobServiceClient(azurite.ConnectionString);
        await foreach (BlobContainerItem container in blobs.GetBlobContainersAsync())
        {
            if (container.Name.Contains("leases", StringComparison.Ordinal) || container.Name.StartsWith("azure-webjobs", StringComparison.Ordinal))
            {
                continue;
            }

            await foreach (BlobItem blob in blobs.GetBlobContainerClient(container.Name).GetBlobsAsync())
            {
                lines.Add($"blob {container.Name}/{blob.Name} {blob.Properties.ETag}");
            }
        }

        lines = lines.Distinct().Order(StringComparer.Ordinal).ToList();
        return string.Join('\n', lines);
    }

    static string Difference(string before, string after)
    {
        var a = before.Split('\n').ToHashSet();
        var b = after.Split('\n').ToHashSet();
        return string.Join('\n', a.Except(b).Select(l => "- " + l).Concat(b.Except(a).Select(l => "+ " + l)).Take(20));
    }
}
