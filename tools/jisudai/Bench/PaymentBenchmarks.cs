using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using JisuDai.Adapters.Composition;
using JisuDai.Adapters.Payments;
using JisuDai.Adapters.Payments.WeChatPay;
using JisuDai.App.Configuration;
using JisuDai.App.Loans;
using JisuDai.App.Payments;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Payments;
using JisuDai.Lending.Products;
using JisuDai.Lending.Schedules;
using JisuDai.Simulators.Payments;
using JisuDai.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JisuDai.Tools.Bench;

/// <summary>
/// <c>jisudai bench payments [--notifications N] [--statement-lines M]</c>: on a fresh Azurite in memory with the
/// payment simulator in process, makes N payments over 100 loans, has the simulator pay them, and times the app taking
/// the N signed notifications (verify, open, match, record in the ledger, eight at once); then parses and matches an
/// M-line settlement statement against M booked movements. Same-run baselines: signature checks and opening alone
/// (no storage), Azurite point reads, and building a dictionary of M references. One JSON object on stdout.
/// </summary>
static class PaymentBenchmarks
{
    const int Loans = 100;

    public static async Task<string> RunAsync(int notifications, int statementLines, CancellationToken cancellationToken)
    {
        await using AzuriteServer azurite = await AzuriteServer.StartAsync();
        DirectoryInfo folder = Directory.CreateTempSubdirectory("jisudai-bench-provider-");
        try
        {
            ProviderKeys keys = ProviderKeys.Ensure(Path.Combine(folder.FullName, "keys"));
            var captured = new ConcurrentQueue<(Dictionary<string, string> Headers, string Body)>();
            await using PaymentSimulator simulator = await PaymentSimulator.StartAsync(new PaymentSimulatorOptions
            {
                Url = "http://127.0.0.1:0", Keys = keys, NotificationHandler = new Capture(captured),
            }, cancellationToken);
            await using ServiceProvider services = Compose(azurite.ConnectionString, keys, simulator.Url);
            var desk = services.GetRequiredService<PaymentDesk>();
            var loans = services.GetRequiredService<IDocumentStore<Loan>>();

            Console.Error.WriteLine($"Booking {Loans} loans and making {notifications:N0} payments at the simulator...");
            LoanProduct product = BuiltInProducts.Express;
            var disbursed = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).AddDays(-20);
            RepaymentSchedule schedule = Offers.Price(product, Offers.TermsFor(product, 50_000m, 12, 0.18m), disbursed).Value!.Schedule;
            for (int l = 0; l < Loans; l++)
            {
                await loans.CreateAsync(new Loan($"loan-{l}.bench{l:000}", $"bench{l:000}", $"app-{l}.bench{l:000}", 50_000m, LoanStatus.Active, disbursed, product.Code, schedule, $"tr-{l}"), cancellationToken);
            }

            using var control = new HttpClient { BaseAddress = new Uri(simulator.Url) };
            await Parallel.ForEachAsync(Enumerable.Range(0, notifications), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                string customer = $"bench{i % Loans:000}";
                var caller = new Caller(customer, new HashSet<string> { Roles.Applicant });
                Result<Recorded<PaymentView>> made = await desk.CreateAsync(caller, $"loan-{i % Loans}.{customer}", $"k-{i}", new PaymentRequest("due", Amount: 1.00m + i % 97), ct);
                using HttpResponseMessage paid = await control.PostAsJsonAsync($"simulator/transactions/{made.Value!.Value.OrderNo}/pay", new { outcome = "success" }, ct);
                paid.EnsureSuccessStatusCode();
            });
            while (captured.Count < notifications)
            {
                await Task.Delay(50, cancellationToken);
            }

            List<(Dictionary<string, string> Headers, string Body)> notices = [.. captured.Take(notifications)];
            var provider = services.GetRequiredService<IPaymentProvider>();

            // Baseline: checking and opening every notification with nothing stored.
            var opening = Stopwatch.StartNew();
            foreach ((Dictionary<string, string> headers, string body) in notices)
            {
                _ = provider.Open(headers, body).Notice ?? throw new InvalidOperationException("A notification did not open.");
            }

            double openSeconds = opening.Elapsed.TotalSeconds;

            // Baseline: Azurite point reads of the loans, eight at once, as many as there are notifications.
            var reading = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, notifications), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                async (i, ct) => await loans.FindAsync($"bench{i % Loans:000}", $"loan-{i % Loans}.bench{i % Loans:000}", ct));
            double readSeconds = reading.Elapsed.TotalSeconds;

            Console.Error.WriteLine($"Taking {notifications:N0} notifications...");
            var lifecycle = new NoLifecycle();
            var payouts = services.GetRequiredService<IPayoutReports>();
            int refused = 0;
            var taking = Stopwatch.StartNew();
            await Parallel.ForEachAsync(notices, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (n, ct) =>
            {
                if (!(await desk.ReceiveAsync(n.Headers, n.Body, payouts, lifecycle, new NoApprovals(), ct)).Succeeded)
                {
                    Interlocked.Increment(ref refused);
                }
            });
            double takeSeconds = taking.Elapsed.TotalSeconds;
            int recorded = 0;
            for (int l = 0; l < Loans; l++)
            {
                recorded += (await loans.FindAsync($"bench{l:000}", $"loan-{l}.bench{l:000}", cancellationToken))!.Document.Repayments?.Count ?? 0;
            }

            (double parseSeconds, double matchSeconds, double dictionarySeconds, int matched, int findings) = Reconcile(statementLines);
            return BenchOutput.Json(new
            {
                machine = BenchOutput.Machine,
                notifications = new
                {
                    what = "signed notifications taken by the app: signature and freshness checked, resource opened (AES-256-GCM), the notice log read, the payment matched, the repayment recorded in its loan's ledger under the loan's ETag (100 loans, so many land on one loan at once), the payment and the notice log written; eight at once; Azurite in memory",
                    count = notifications,
                    recorded,
                    refused,
                    seconds = Math.Round(takeSeconds, 2),
                    perSecond = Math.Round(notifications / takeSeconds, 0),
                    baselineOpenOnlyPerSecond = Math.Round(notifications / openSeconds, 0),
                    baselineAzuritePointReadsPerSecond = Math.Round(notifications / readSeconds, 0),
                    ratioToPointReads = Math.Round(readSeconds / takeSeconds, 3),
                },
                reconciliation = new
                {
                    what = "a settlement statement file parsed (backtick fields, count and total checked) and matched line by line against as many booked movements, 0.1% of lines each missing, off by a fen or extra; in memory",
                    lines = statementLines,
                    matched,
                    findings,
                    parseSeconds = Math.Round(parseSeconds, 3),
                    matchSeconds = Math.Round(matchSeconds, 3),
                    linesPerSecond = Math.Round(statementLines / (parseSeconds + matchSeconds), 0),
                    baselineDictionaryOfReferencesSeconds = Math.Round(dictionarySeconds, 3),
                    ratioToDictionary = Math.Round((parseSeconds + matchSeconds) / dictionarySeconds, 1),
                },
            });
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    static (double Parse, double Match, double Dictionary, int Matched, int Findings) Reconcile(int count)
    {
        var day = new DateOnly(2026, 3, 2);
        var csv = new StringBuilder("交易时间,业务类型,商户单号,平台单号,交易状态,金额(元)\n");
        var booked = new List<BookedMovement>(count);
        decimal total = 0;
        for (int i = 0; i < count; i++)
        {
            decimal amount = 100m + i % 1000 / 100m;
            string reference = $"pmt{i:0000000000000000000}";
            if (i % 1000 != 1)
            {
                booked.Add(new BookedMovement(MovementKind.Payment, reference, i % 1000 == 2 ? amount + 0.01m : amount, day, $"{reference}.c"));
            }

            if (i % 1000 != 3)
            {
                csv.Append(CultureInfo.InvariantCulture, $"`2026-03-02 10:00:00,`PAYMENT,`{reference},`4200{i:000000000000000000000000},`SUCCESS,`{amount:0.00}\n");
                total += amount;
            }
        }

        int lines = count - count / 1000 - (count % 1000 > 3 ? 1 : 0);
        csv.Append("总笔数,总金额(元)\n").Append(CultureInfo.InvariantCulture, $"`{lines},`{total:0.00}\n");
        string file = csv.ToString();

        var parsing = Stopwatch.StartNew();
        IReadOnlyList<SettlementLine> statement = StatementLines.Parse(file);
        double parse = parsing.Elapsed.TotalSeconds;
        var matching = Stopwatch.StartNew();
        (int matched, IReadOnlyList<ReconciliationFinding> findings) = SettlementMatching.Match(day, statement, booked);
        double match = matching.Elapsed.TotalSeconds;
        var building = Stopwatch.StartNew();
        var references = new Dictionary<string, decimal>(count);
        foreach (BookedMovement b in booked)
        {
            references.TryAdd(b.Reference, b.Amount);
        }

        double dictionary = building.Elapsed.TotalSeconds;
        return (parse, match, dictionary, matched, findings.Count);
    }

    static ServiceProvider Compose(string connectionString, ProviderKeys keys, string simulatorUrl)
    {
        Dictionary<string, string?> settings = ProviderConfiguration.Settings(simulatorUrl, keys.MerchantId, keys.AppId, keys.MerchantKeyPem, keys.MerchantCertificatePem,
            keys.PlatformCertificatePem, keys.ApiV3Key, "http://127.0.0.1:9/api/payments/notifications");
        settings[AppSettings.Storage] = connectionString;
        settings[AppSettings.PersonalDataKey] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        return new ServiceCollection().AddLogging().AddJisuDai(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();
    }

    /// <summary>Keeps the simulator's notifications for the benchmark to deliver, acknowledging each.</summary>
    sealed class Capture(ConcurrentQueue<(Dictionary<string, string>, string)> captured) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            captured.Enqueue((request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value)), await request.Content!.ReadAsStringAsync(cancellationToken)));
            return new HttpResponseMessage(System.Net.HttpStatusCode.NoContent);
        }
    }

    sealed class NoLifecycle : IRepaymentLifecycle
    {
        public Task LoanChangedAsync(string loanId, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>The benchmark's notifications are payments only; no approval is ever told anything.</summary>
    sealed class NoApprovals : JisuDai.App.Applications.IApprovalWorkflow
    {
        public Task<JisuDai.App.Applications.ApprovalStarted?> FindAsync(string applicationId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task StartAsync(JisuDai.App.Applications.ApprovalInput input, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task AcceptOfferAsync(string applicationId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task CancelAsync(JisuDai.Lending.Applications.LoanApplication application, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task DecideReviewAsync(string applicationId, JisuDai.App.Applications.ReviewDecision decision, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task PayoutFinishedAsync(string transferId, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
