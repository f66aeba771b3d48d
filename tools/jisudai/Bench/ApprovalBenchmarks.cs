using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JisuDai.Adapters.Security;
using JisuDai.App.Security;
using JisuDai.Risk.Defaults;

namespace JisuDai.Tools.Bench;

/// <summary>
/// <c>jisudai bench approvals</c>: starts a standalone host on a fresh embedded Azurite, makes every application
/// auto-approve (the default rules with one approving tier), then submits applications over loopback with bounded
/// concurrency and times each from submission to its offer. Throughput and latency come from the server's own
/// timestamps (submitted, offered), so the client's polling does not set them; what the client saw is reported too.
/// One JSON object on stdout, progress on stderr.
/// </summary>
static class ApprovalBenchmarks
{
    public static async Task<string> RunAsync(int applications, int concurrency, CancellationToken cancellationToken)
    {
        await using StandaloneHostProcess host = StandaloneHostProcess.Start();
        await host.WaitUntilHealthyAsync(cancellationToken);
        Tokens tokens = host.Tokens();
        string Token(string subject, string role) => tokens.Mint(subject, [role], DateTimeOffset.UtcNow, TimeSpan.FromHours(2));

        JsonNode rules = JsonNode.Parse(DefaultModel.RulesJson())!;
        rules["tiers"] = JsonNode.Parse("""[{ "tier": "all", "action": "approve", "incomeMultiple": 6, "annualRate": 0.15 }]""");
        // Publishing is four eyes: one admin proposes, a second approves quoting the proposal's digest.
        using (var publish = new HttpRequestMessage(HttpMethod.Post, "rules") { Content = new StringContent(rules.ToJsonString(), Encoding.UTF8, "application/json") })
        {
            publish.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token("bench-admin", Roles.Admin));
            using HttpResponseMessage proposed = (await host.Client.SendAsync(publish, cancellationToken)).EnsureSuccessStatusCode();
            JsonNode request = JsonNode.Parse(await proposed.Content.ReadAsStringAsync(cancellationToken))!["request"]!;
            using var approve = new HttpRequestMessage(HttpMethod.Post, $"staff-requests/{request["id"]}/approval")
            {
                Content = new StringContent(new JsonObject { ["digest"] = request["digest"]!.GetValue<string>() }.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            approve.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token("bench-admin-2", Roles.Admin));
            (await host.Client.SendAsync(approve, cancellationToken)).EnsureSuccessStatusCode();
        }

        Console.Error.WriteLine("Warming up (the first application waits for the default model to train)...");
        await ApplyAsync(host.Client, 0, Token, TimeSpan.FromMinutes(2), cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // let the warm-up's notices drain

        Console.Error.WriteLine($"Submitting {applications} applications, {concurrency} at a time...");
        var client = new List<double>();
        var server = new List<double>();
        var spans = new List<(DateTimeOffset Submitted, DateTimeOffset Offered)>();
        int next = 0, done = 0;
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (int n; (n = Interlocked.Increment(ref next)) <= applications;)
            {
                (double clientMs, DateTimeOffset submitted, DateTimeOffset offered) = await ApplyAsync(host.Client, n, Token, TimeSpan.FromMinutes(2), cancellationToken);
                lock (client)
                {
                    client.Add(clientMs);
                    server.Add((offered - submitted).TotalMilliseconds);
                    spans.Add((submitted, offered));
                }

                if (Interlocked.Increment(ref done) % Math.Max(1, applications / 10) == 0)
                {
                    Console.Error.WriteLine($"applications: {done}/{applications} offered");
                }
            }
        }));
        double seconds = wall.Elapsed.TotalSeconds;
        double serverSeconds = (spans.Max(s => s.Offered) - spans.Min(s => s.Submitted)).TotalSeconds;
        client.Sort();
        server.Sort();
        return BenchOutput.Json(new
        {
            machine = BenchOutput.Machine,
            approvals = new
            {
                what = "submit (POST /api/applications) to offer (status Offered): intake, orchestration, checks, score, rules, offer priced and recorded, two notices queued; status polled every 250 ms",
                applications,
                concurrency,
                perSecond = Math.Round(applications / serverSeconds, 1),
                perSecondSeenByClient = Math.Round(applications / seconds, 1),
                clientP50Ms = BenchOutput.Percentile(client.ToArray(), 0.50),
                clientP99Ms = BenchOutput.Percentile(client.ToArray(), 0.99),
                serverP50Ms = BenchOutput.Percentile(server.ToArray(), 0.50),
                serverP99Ms = BenchOutput.Percentile(server.ToArray(), 0.99),
            },
        });
    }

    /// <summary>
    /// Submits application <paramref name="n"/> as its own customer and waits for its offer: the time the client saw
    /// (ms, including polling), and the server's own submitted and offered timestamps.
    /// </summary>
    static async Task<(double Client, DateTimeOffset Submitted, DateTimeOffset Offered)> ApplyAsync(HttpClient http, int n, Func<string, string, string> token, TimeSpan timeout, CancellationToken cancellationToken)
    {
        string customer = $"bench-{n}";
        string bearer = token(customer, Roles.Applicant);
        string phone = $"+86139{n:00000000}", card = $"6222020{n:00000000}" + JisuDai.Lending.Customers.BankCard.CheckDigit($"6222020{n:00000000}");
        // Each customer verifies (the four-element check) before applying; that is set-up, outside the timed submit.
        using (var verify = new HttpRequestMessage(HttpMethod.Post, "customers/me/verification")
        {
            Content = JsonContent.Create(new { name = "Bench Applicant", idNumber = IdNumber(n), phone, bankAccount = card }),
        })
        {
            verify.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            (await http.SendAsync(verify, cancellationToken)).EnsureSuccessStatusCode();
        }

        var clock = Stopwatch.StartNew();
        using var submit = new HttpRequestMessage(HttpMethod.Post, "applications")
        {
            Content = JsonContent.Create(new
            {
                name = "Bench Applicant", idNumber = IdNumber(n), phone, bankAccount = card, monthlyIncome = 15000,
                employmentYears = 6, housing = "own", monthlyDebtPayments = 500, existingLoans = 1, productCode = "express", amount = 20000, termMonths = 12,
                purpose = "used-car", deviceId = $"bench-device-{n}", ip = $"10.{n / 65536 % 256}.{n / 256 % 256}.{n % 256}",
            }),
        };
        submit.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        submit.Headers.Add("Idempotency-Key", $"bench-{n}");
        submit.Headers.Add("X-Forwarded-For", $"10.{n / 65536 % 256}.{n / 256 % 256}.{n % 256}"); // the host believes one proxy (StandaloneHostProcess)
        using HttpResponseMessage submitted = await http.SendAsync(submit, cancellationToken);
        submitted.EnsureSuccessStatusCode();
        string id = (await submitted.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetString()!;
        JsonElement last = default;
        while (clock.Elapsed < timeout)
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, $"applications/{id}");
            get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            using HttpResponseMessage response = await http.SendAsync(get, cancellationToken);
            JsonElement application = last = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            string status = application.GetProperty("status").GetString()!;
            if (status == "Offered")
            {
                DateTimeOffset submittedAt = application.GetProperty("submittedAt").GetDateTimeOffset();
                DateTimeOffset offeredAt = application.GetProperty("history").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "offered").GetProperty("at").GetDateTimeOffset();
                return (clock.Elapsed.TotalMilliseconds, submittedAt, offeredAt);
            }

            if (status is not ("Submitted" or "InReview"))
            {
                throw new InvalidOperationException($"Application {id} ended {status}, not Offered: {application}");
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException($"Application {id} had no offer within {timeout}: {last}");
    }

    /// <summary>A valid resident ID number (born 1990-01-01) whose sequence digits are <paramref name="n"/>.</summary>
    static string IdNumber(int n)
    {
        string body = $"11010119900101{n % 1000:000}";
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        int sum = body.Select((c, i) => (c - '0') * weights[i]).Sum();
        return body + "10X98765432"[sum % 11];
    }
}
