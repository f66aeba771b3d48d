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
/// auto-approve (the default rules with one approving tier), verifies the customers (set-up, not timed), then measures
/// over loopback in two phases:
/// <list type="bullet">
/// <item>to the offer: <c>concurrency</c> borrowers at a time each submit and wait for their offer. The submit's own
/// latency is the decision in the response; submit to offer comes from the server's own timestamps (submitted,
/// offered), so the client's polling does not set it;</item>
/// <item>decisions: as many submissions again, <c>concurrency</c> at a time, none waiting for its offer: decisions
/// answered per second (the approvals they start run meanwhile, as they would).</item>
/// </list>
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

        var borrowers = Enumerable.Range(0, 2 * applications + 1).Select(n => new Borrower(n, Token($"bench-{n}", Roles.Applicant))).ToArray();
        Console.Error.WriteLine("Warming up (the first application waits for the default model to train)...");
        await borrowers[0].VerifyAsync(host.Client, cancellationToken);
        await borrowers[0].UntilOfferedAsync(host.Client, (await borrowers[0].SubmitAsync(host.Client, cancellationToken)).Id, TimeSpan.FromMinutes(2), cancellationToken);
        Console.Error.WriteLine($"Verifying {2 * applications} customers (set-up, not timed)...");
        await InTurnsAsync(borrowers[1..], concurrency, b => b.VerifyAsync(host.Client, cancellationToken));
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // let the set-up's notices drain

        Console.Error.WriteLine($"To the offer: {applications} applications, {concurrency} at a time...");
        var toOffer = new List<(double Submit, bool Decided, double ClientMs, DateTimeOffset Submitted, DateTimeOffset Offered)>();
        int done = 0;
        var wall = Stopwatch.StartNew();
        await InTurnsAsync(borrowers[1..(applications + 1)], concurrency, async b =>
        {
            var clock = Stopwatch.StartNew();
            (string id, double submitMs, bool decided) = await b.SubmitAsync(host.Client, cancellationToken);
            (DateTimeOffset submitted, DateTimeOffset offered) = await b.UntilOfferedAsync(host.Client, id, TimeSpan.FromMinutes(2), cancellationToken);
            lock (toOffer)
            {
                toOffer.Add((submitMs, decided, clock.Elapsed.TotalMilliseconds, submitted, offered));
            }

            if (Interlocked.Increment(ref done) % Math.Max(1, applications / 10) == 0)
            {
                Console.Error.WriteLine($"to the offer: {done}/{applications} offered");
            }
        });
        double seconds = wall.Elapsed.TotalSeconds;
        double serverSeconds = (toOffer.Max(s => s.Offered) - toOffer.Min(s => s.Submitted)).TotalSeconds;

        Console.Error.WriteLine($"Decisions: {applications} submissions, {concurrency} at a time, none waiting for its offer...");
        var submits = new List<(double Ms, bool Decided)>();
        wall.Restart();
        await InTurnsAsync(borrowers[(applications + 1)..], concurrency, async b =>
        {
            (_, double ms, bool decided) = await b.SubmitAsync(host.Client, cancellationToken);
            lock (submits)
            {
                submits.Add((ms, decided));
            }
        });
        double decideSeconds = wall.Elapsed.TotalSeconds;

        double[] Sorted(IEnumerable<double> values) => values.Order().ToArray();
        double[] submitToResponse = Sorted(toOffer.Select(t => t.Submit));
        double[] server = Sorted(toOffer.Select(t => (t.Offered - t.Submitted).TotalMilliseconds));
        double[] client = Sorted(toOffer.Select(t => t.ClientMs));
        double[] burst = Sorted(submits.Select(t => t.Ms));
        return BenchOutput.Json(new
        {
            machine = BenchOutput.Machine,
            applications,
            concurrency,
            decisionInResponse = new
            {
                what = "POST /api/applications to its 202 with the decision in the body (intake, checks, score, rules, priced offer, decision recorded, notice queued, approval started), while each borrower also waits for its offer",
                decidedInResponse = toOffer.Count(t => t.Decided),
                p50Ms = BenchOutput.Percentile(submitToResponse, 0.50),
                p99Ms = BenchOutput.Percentile(submitToResponse, 0.99),
            },
            toOffer = new
            {
                what = "submit to offer (status Offered, recorded by the approval): server timestamps; status polled every 250 ms",
                perSecond = Math.Round(applications / serverSeconds, 1),
                perSecondSeenByClient = Math.Round(applications / seconds, 1),
                serverP50Ms = BenchOutput.Percentile(server, 0.50),
                serverP99Ms = BenchOutput.Percentile(server, 0.99),
                clientP50Ms = BenchOutput.Percentile(client, 0.50),
                clientP99Ms = BenchOutput.Percentile(client, 0.99),
            },
            decisions = new
            {
                what = "submissions answered per second with no borrower waiting for an offer; the approvals they start run meanwhile",
                perSecond = Math.Round(applications / decideSeconds, 1),
                decidedInResponse = submits.Count(t => t.Decided),
                p50Ms = BenchOutput.Percentile(burst, 0.50),
                p99Ms = BenchOutput.Percentile(burst, 0.99),
            },
        });
    }

    /// <summary>Runs <paramref name="work"/> for each item, <paramref name="concurrency"/> at a time, in order.</summary>
    static Task InTurnsAsync<T>(IReadOnlyList<T> items, int concurrency, Func<T, Task> work)
    {
        int next = -1;
        return Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (int i; (i = Interlocked.Increment(ref next)) < items.Count;)
            {
                await work(items[i]);
            }
        }));
    }

    /// <summary>Borrower <paramref name="N"/>: their own customer, phone, card, device and address, so velocity rules do not refer them.</summary>
    sealed record Borrower(int N, string Bearer)
    {
        string Phone => $"+86139{N:00000000}";

        string Card => $"6222020{N:00000000}" + JisuDai.Lending.Customers.BankCard.CheckDigit($"6222020{N:00000000}");

        HttpRequestMessage As(HttpMethod method, string path, object? body = null)
        {
            var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Bearer);
            request.Headers.Add("X-Forwarded-For", $"10.{N / 65536 % 256}.{N / 256 % 256}.{N % 256}"); // the host believes one proxy (StandaloneHostProcess)
            return request;
        }

        /// <summary>The four-element check every customer passes before applying.</summary>
        public async Task VerifyAsync(HttpClient http, CancellationToken cancellationToken)
        {
            using HttpRequestMessage verify = As(HttpMethod.Post, "customers/me/verification", new { name = "Bench Applicant", idNumber = IdNumber(N), phone = Phone, bankAccount = Card });
            (await http.SendAsync(verify, cancellationToken)).EnsureSuccessStatusCode();
        }

        /// <summary>Submits the application: its id, how long the 202 took (ms) and whether it carried the decision.</summary>
        public async Task<(string Id, double Ms, bool Decided)> SubmitAsync(HttpClient http, CancellationToken cancellationToken)
        {
            using HttpRequestMessage submit = As(HttpMethod.Post, "applications", new
            {
                name = "Bench Applicant", idNumber = IdNumber(N), phone = Phone, bankAccount = Card, monthlyIncome = 15000,
                employmentYears = 6, housing = "own", monthlyDebtPayments = 500, existingLoans = 1, productCode = "express", amount = 20000, termMonths = 12,
                purpose = "used-car", deviceId = $"bench-device-{N}",
            });
            submit.Headers.Add("Idempotency-Key", $"bench-{N}");
            long started = Stopwatch.GetTimestamp();
            using HttpResponseMessage submitted = await http.SendAsync(submit, cancellationToken);
            double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            submitted.EnsureSuccessStatusCode();
            JsonElement receipt = await submitted.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            return (receipt.GetProperty("id").GetString()!, ms, receipt.GetProperty("decision").ValueKind == JsonValueKind.Object);
        }

        /// <summary>Polls the application until it is offered: the server's submitted and offered timestamps.</summary>
        public async Task<(DateTimeOffset Submitted, DateTimeOffset Offered)> UntilOfferedAsync(HttpClient http, string id, TimeSpan timeout, CancellationToken cancellationToken)
        {
            JsonElement application = default;
            for (var clock = Stopwatch.StartNew(); clock.Elapsed < timeout; await Task.Delay(250, cancellationToken))
            {
                using HttpRequestMessage get = As(HttpMethod.Get, $"applications/{id}");
                using HttpResponseMessage response = await http.SendAsync(get, cancellationToken);
                application = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                string status = application.GetProperty("status").GetString()!;
                if (status == "Offered")
                {
                    return (application.GetProperty("submittedAt").GetDateTimeOffset(),
                        application.GetProperty("history").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "offered").GetProperty("at").GetDateTimeOffset());
                }

                if (status is not ("Submitted" or "InReview"))
                {
                    throw new InvalidOperationException($"Application {id} ended {status}, not Offered: {application}");
                }
            }

            throw new TimeoutException($"Application {id} had no offer within {timeout}: {application}");
        }
    }

    /// <summary>A valid resident ID number, one per <paramref name="n"/>: born on 1990-01-01 plus n / 1000 days, sequence n % 1000.</summary>
    static string IdNumber(int n)
    {
        string body = $"110101{new DateOnly(1990, 1, 1).AddDays(n / 1000):yyyyMMdd}{n % 1000:000}";
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        int sum = body.Select((c, i) => (c - '0') * weights[i]).Sum();
        return body + "10X98765432"[sum % 11];
    }
}
