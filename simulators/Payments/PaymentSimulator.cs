using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JisuDai.Simulators.Payments;

/// <summary>How the payment-provider simulator runs.</summary>
public sealed record PaymentSimulatorOptions
{
    /// <summary>Where it listens (port 0: a free port, read back from <see cref="PaymentSimulator.Url"/>).</summary>
    public required string Url { get; init; }

    /// <summary>The merchant account's keys.</summary>
    public required ProviderKeys Keys { get; init; }

    /// <summary>Where its books are saved (null: kept in memory only).</summary>
    public string? StateFile { get; init; }

    /// <summary>The clock its signatures, timestamps and payment times read (the host's clock, so a fake one in tests).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>How long after it is accepted a transfer finishes (real time).</summary>
    public TimeSpan SettleAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The waits between attempts to deliver a notification the merchant did not acknowledge (WeChat Pay: 15 s, 15 s, 30 s, 3 min…).</summary>
    public IReadOnlyList<TimeSpan> NotificationRetries { get; init; } =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)];

    /// <summary>What delivers notifications (null: HTTP to the order's notify_url).</summary>
    public HttpMessageHandler? NotificationHandler { get; init; }
}

/// <summary>Faults the simulator is told to act out, set over <c>POST /simulator/faults</c>.</summary>
/// <param name="FailPayouts">A reason code every transfer accepted from now on fails with (ACCOUNT_FROZEN…), or null.</param>
/// <param name="DuplicateNotifications">Deliver every notification twice.</param>
/// <param name="NotificationDelayMs">Hold every new notification back this long before the first attempt.</param>
/// <param name="DropFromStatement">An out_trade_no / out_bill_no left off every settlement statement.</param>
/// <param name="ExtraStatementLine">Add a paid order nobody made to every settlement statement.</param>
/// <param name="OffByOneFen">An out_trade_no / out_bill_no whose statement amount is one fen more than what moved.</param>
/// <param name="FailDebits">A reason every debit accepted from now on fails with (NOT_ENOUGH: insufficient funds; CARD_FROZEN…), or null.</param>
public sealed record SimulatedFaults(string? FailPayouts = null, bool DuplicateNotifications = false, int NotificationDelayMs = 0,
    string? DropFromStatement = null, bool ExtraStatementLine = false, string? OffByOneFen = null, string? FailDebits = null);

/// <summary>
/// A local payment provider that speaks the merchant protocol of WeChat Pay API v3 (see docs/payments.md): APP orders
/// (<c>POST /v3/pay/transactions/app</c>, queried and closed by <c>out_trade_no</c>) and transfers to a bank account
/// (<c>POST /v3/fund-app/mch-transfer/transfer-bills</c>, queried by <c>out_bill_no</c>), every request's signature
/// checked and every answer signed; results are sent as signed notifications with an encrypted resource to the order's
/// <c>notify_url</c>, retried until acknowledged; debit contracts (<c>/v3/papay/sign/contracts/…</c>) and debits under
/// them (<c>POST /v3/papay/pay/transactions/apply</c>); refunds of paid orders (<c>POST /v3/refund/domestic/refunds</c>). What a payer does in their bank app is <c>POST
/// /simulator/transactions/{out_trade_no}/pay</c>, <c>/simulator/contracts/{out_contract_code}/sign</c> and <c>…/terminate</c>.
/// </summary>
public sealed class PaymentSimulator : IAsyncDisposable
{
    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    readonly WebApplication app;
    readonly PaymentSimulatorOptions options;
    readonly PlatformCrypto crypto;
    readonly ProviderBook book;
    readonly HttpClient notifier;
    readonly CancellationTokenSource stopping = new();
    readonly ILogger logger;
    Task? worker;
    SimulatedFaults faults = new();

    PaymentSimulator(WebApplication app, PaymentSimulatorOptions options)
    {
        this.app = app;
        this.options = options;
        crypto = new PlatformCrypto(options.Keys);
        book = new ProviderBook(options.StateFile);
        notifier = options.NotificationHandler is { } handler ? new HttpClient(handler, disposeHandler: false) : new HttpClient();
        notifier.Timeout = TimeSpan.FromSeconds(10);
        logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("JisuDai.PaymentSimulator");
    }

    /// <summary>Where it listens.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Starts the simulator and its settlement and notification worker.</summary>
    public static async Task<PaymentSimulator> StartAsync(PaymentSimulatorOptions options, CancellationToken cancellationToken = default)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.Url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        WebApplication app = builder.Build();
        var simulator = new PaymentSimulator(app, options);
        simulator.Map();
        await app.StartAsync(cancellationToken);
        simulator.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        simulator.worker = Task.Run(() => simulator.WorkAsync(simulator.stopping.Token), CancellationToken.None);
        return simulator;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        if (worker is not null)
        {
            await worker;
        }

        await app.StopAsync();
        await app.DisposeAsync();
        notifier.Dispose();
        crypto.Dispose();
        stopping.Dispose();
    }

    DateTimeOffset Now => options.Clock.GetUtcNow();

    void Map()
    {
        app.MapPost("/v3/pay/transactions/app", Signed(CreateTransaction));
        app.MapGet("/v3/pay/transactions/out-trade-no/{outTradeNo}", Signed((request, body) => QueryTransaction((string)request.RouteValues["outTradeNo"]!)));
        app.MapPost("/v3/pay/transactions/out-trade-no/{outTradeNo}/close", Signed((request, body) => CloseTransaction((string)request.RouteValues["outTradeNo"]!)));
        app.MapPost("/v3/fund-app/mch-transfer/transfer-bills", Signed(CreateTransfer));
        app.MapGet("/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{outBillNo}", Signed((request, body) => QueryTransfer((string)request.RouteValues["outBillNo"]!)));
        app.MapPost("/v3/papay/sign/contracts/pre-entrust-sign", Signed(CreateContract));
        app.MapGet("/v3/papay/sign/contracts/plan-id/{planId}/out-contract-code/{code}", Signed((request, body) => QueryContract((string)request.RouteValues["code"]!)));
        app.MapPost("/v3/papay/sign/contracts/plan-id/{planId}/out-contract-code/{code}/terminate", Signed((request, body) =>
            EndContract((string)request.RouteValues["code"]!, "MCH_API_TERMINATE", JsonNode.Parse(body)?["contract_termination_remark"]?.GetValue<string>())));
        app.MapPost("/v3/papay/pay/transactions/apply", Signed(CreateDebit));
        app.MapPost("/v3/refund/domestic/refunds", Signed(CreateRefund));
        app.MapGet("/v3/refund/domestic/refunds/{outRefundNo}", Signed((request, body) => QueryRefund((string)request.RouteValues["outRefundNo"]!)));
        app.MapGet("/v3/bill/tradebill", Signed((request, body) => TradeBill(request.Query["bill_date"].ToString())));
        app.MapGet("/v3/billdownload/file", Signed((request, body) => (200, new RawText(Statement(request.Query["bill_date"].ToString())))));

        // The simulator's own controls: what a payer does in their app, and the faults to act out. Unsigned: local only.
        app.MapPost("/simulator/transactions/{outTradeNo}/pay", async (HttpContext context, string outTradeNo) =>
        {
            string outcome = "success";
            if (context.Request.ContentLength > 0)
            {
                JsonNode? body = await JsonNode.ParseAsync(context.Request.Body);
                outcome = body?["outcome"]?.GetValue<string>() ?? "success";
            }

            (int status, object answer) = Pay(outTradeNo, outcome);
            return Results.Json(answer, Json, statusCode: status);
        });
        app.MapPost("/simulator/contracts/{code}/sign", (string code) => Answer(SignContract(code)));
        app.MapPost("/simulator/contracts/{code}/terminate", (string code) => Answer(EndContract(code, "USER_TERMINATE", "ended by the payer in their app")));
        app.MapPost("/simulator/faults", async (HttpContext context) =>
        {
            SimulatedFaults? set = await JsonSerializer.DeserializeAsync<SimulatedFaults>(context.Request.Body, JsonSerializerOptions.Web);
            faults = set ?? new SimulatedFaults();
            return Results.Json(faults, JsonSerializerOptions.Web);
        });
        app.MapGet("/simulator/notifications", () => Results.Json(book.Read(s => s.Notifications.ToList()), JsonSerializerOptions.Web));
        app.MapGet("/simulator/transfers", () => Results.Json(book.Read(s => s.Transfers.Values.Select(TransferResource).ToList()), Json));
    }

    static IResult Answer((int Status, object? Body) answer) => Results.Json(answer.Body, Json, statusCode: answer.Status);

    /// <summary>A protocol endpoint: the merchant's signature checked first, the answer signed.</summary>
    RequestDelegate Signed(Func<HttpRequest, string, (int Status, object? Body)> handle) => async context =>
    {
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync();
        }

        string pathAndQuery = context.Request.Path + context.Request.QueryString;
        (int status, object? answer) = crypto.CheckAuthorization(context.Request.Headers.Authorization, context.Request.Method, pathAndQuery, body, Now) is { } refused
            ? (401, Error("SIGN_ERROR", refused))
            : Handle(() => handle(context.Request, body));
        string text = answer switch { null => "", RawText raw => raw.Text, _ => JsonSerializer.Serialize(answer, Json) };
        foreach ((string name, string value) in crypto.Sign(text, Now))
        {
            context.Response.Headers[name] = value;
        }

        context.Response.Headers["Request-ID"] = Guid.NewGuid().ToString("N");
        context.Response.StatusCode = status;
        if (answer is not null)
        {
            context.Response.ContentType = answer is RawText ? "text/csv; charset=utf-8" : "application/json";
            await context.Response.WriteAsync(text);
        }
    };

    /// <summary>An answer that is not JSON (the settlement statement file).</summary>
    sealed record RawText(string Text);

    /// <summary>Where the day's settlement statement is downloaded, and its SHA-1 to check it with (as WeChat Pay's trade bill).</summary>
    (int, object?) TradeBill(string date)
    {
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return (400, Error("PARAM_ERROR", "bill_date must be yyyy-MM-dd."));
        }

        string file = Statement(date);
        return (200, new
        {
            hash_type = "SHA1", hash_value = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(file))),
            download_url = $"{Url.TrimEnd('/')}/v3/billdownload/file?bill_date={date}",
        });
    }

    /// <summary>
    /// The day's settlement statement as CSV, every field behind a backtick as WeChat Pay writes them: each order paid,
    /// each transfer finished and each refund made successfully that day (Asia/Shanghai), then a count and total; faults act on it.
    /// </summary>
    string Statement(string date)
    {
        DateOnly day = DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        bool On(DateTimeOffset? at) => at is { } t && DateOnly.FromDateTime(t.ToOffset(TimeSpan.FromHours(8)).DateTime) == day;
        SimulatedFaults f = faults;
        List<(DateTimeOffset At, string Type, string Ours, string Theirs, long Fen)> lines = book.Read(s =>
            s.Transactions.Values.Where(t => t.TradeState == "SUCCESS" && On(t.SuccessTime)).Select(t => (t.SuccessTime!.Value, "PAYMENT", t.OutTradeNo, t.TransactionId!, t.Total))
                .Concat(s.Transfers.Values.Where(t => t.State == "SUCCESS" && On(t.UpdateTime)).Select(t => (t.UpdateTime!.Value, "TRANSFER", t.OutBillNo, t.TransferBillNo, t.Amount)))
                .Concat(s.RefundBook.Values.Where(r => r.Status == "SUCCESS" && On(r.SuccessTime)).Select(r => (r.SuccessTime!.Value, "REFUND", r.OutRefundNo, r.RefundId, r.Refund)))
                .OrderBy(l => l.Item1).ToList());
        lines = lines.Where(l => l.Ours != f.DropFromStatement).Select(l => l.Ours == f.OffByOneFen ? l with { Fen = l.Fen + 1 } : l).ToList();
        if (f.ExtraStatementLine)
        {
            lines.Add((new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.FromHours(8)), "PAYMENT", "pmtnobodymadethis000000", "4200000000000000000000009999", 8888));
        }

        var csv = new StringBuilder("交易时间,业务类型,商户单号,平台单号,交易状态,金额(元)\n");
        foreach (var l in lines)
        {
            csv.Append(CultureInfo.InvariantCulture, $"`{l.At.ToOffset(TimeSpan.FromHours(8)):yyyy-MM-dd HH:mm:ss},`{l.Type},`{l.Ours},`{l.Theirs},`SUCCESS,`{l.Fen / 100m:0.00}\n");
        }

        csv.Append("总笔数,总金额(元)\n");
        csv.Append(CultureInfo.InvariantCulture, $"`{lines.Count},`{lines.Sum(l => l.Fen) / 100m:0.00}\n");
        return csv.ToString();
    }

    static (int, object?) Handle(Func<(int, object?)> handle)
    {
        try
        {
            return handle();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or CryptographicException)
        {
            return (400, Error("PARAM_ERROR", e.Message));
        }
    }

    static object Error(string code, string message) => new { code, message };

    (int, object?) CreateTransaction(HttpRequest request, string text)
    {
        JsonNode body = JsonNode.Parse(text) ?? throw new JsonException("The body is empty.");
        string outTradeNo = Field(body, "out_trade_no");
        long total = body["amount"]?["total"]?.GetValue<long>() ?? throw new KeyNotFoundException("amount.total is required.");
        if (total <= 0)
        {
            return (400, Error("PARAM_ERROR", "amount.total must be more than 0 fen."));
        }

        var order = new SimulatedTransaction(outTradeNo, Field(body, "appid"), Field(body, "description"), body["attach"]?.GetValue<string>(), NotifyUrl(body),
            total, "wx" + Convert.ToHexString(RandomNumberGenerator.GetBytes(14)).ToLowerInvariant(), Now);
        return book.Change(s =>
        {
            if (s.Transactions.TryGetValue(outTradeNo, out SimulatedTransaction? existing))
            {
                // The same order again (a retried request) gets the same prepay id; other terms under its number are refused.
                return existing.Total == total && existing.Attach == order.Attach
                    ? existing.TradeState == "SUCCESS" ? (400, Error("ORDERPAID", "The order is paid already.")) : (200, (object?)new { prepay_id = existing.PrepayId })
                    : (400, Error("INVALID_REQUEST", "out_trade_no was used for an order with other terms."));
            }

            s.Transactions[outTradeNo] = order;
            return (200, new { prepay_id = order.PrepayId });
        });
    }

    (int, object?) QueryTransaction(string outTradeNo) =>
        book.Read(s => s.Transactions.TryGetValue(outTradeNo, out SimulatedTransaction? t)
            ? (200, (object?)TransactionResource(t))
            : (404, Error("ORDER_NOT_EXIST", $"There is no order {outTradeNo}.")));

    (int, object?) CloseTransaction(string outTradeNo) =>
        book.Change(s =>
        {
            if (!s.Transactions.TryGetValue(outTradeNo, out SimulatedTransaction? t))
            {
                return (404, Error("ORDER_NOT_EXIST", $"There is no order {outTradeNo}."));
            }

            if (t.TradeState == "SUCCESS")
            {
                return (400, Error("ORDERPAID", "The order is paid already and cannot be closed."));
            }

            s.Transactions[outTradeNo] = t with { TradeState = "CLOSED", TradeStateDesc = "closed" };
            return (204, (object?)null);
        });

    (int, object) Pay(string outTradeNo, string outcome) =>
        book.Change(s =>
        {
            if (!s.Transactions.TryGetValue(outTradeNo, out SimulatedTransaction? t))
            {
                return (404, Error("ORDER_NOT_EXIST", $"There is no order {outTradeNo}."));
            }

            if (t.TradeState is "SUCCESS" or "CLOSED" or "PAY_FAIL" || t.TradeType == "PAP")
            {
                return (409, Error("ORDER_CLOSED", t.TradeType == "PAP" ? $"Order {outTradeNo} is a debit; the payer does not pay it." : $"Order {outTradeNo} is {t.TradeState}."));
            }

            if (outcome != "success")
            {
                // A payment refused by the payer's bank: the order stays open for another try; no notification (as WeChat Pay).
                s.Transactions[outTradeNo] = t with { TradeState = "PAYERROR", TradeStateDesc = outcome };
                return (200, TransactionResource(s.Transactions[outTradeNo]));
            }

            SimulatedTransaction paid = t with
            {
                TradeState = "SUCCESS", TradeStateDesc = "paid", SuccessTime = Now,
                TransactionId = "4200" + RandomNumberGenerator.GetString("0123456789", 24),
            };
            s.Transactions[outTradeNo] = paid;
            Owe(s, paid.NotifyUrl, "TRANSACTION.SUCCESS", "transaction", outTradeNo, TransactionResource(paid), "支付成功");
            return (200, TransactionResource(paid));
        });

    object TransactionResource(SimulatedTransaction t) => new
    {
        appid = t.AppId, mchid = crypto.MerchantId, out_trade_no = t.OutTradeNo, transaction_id = t.TransactionId, trade_type = t.TradeType, contract_id = t.ContractId,
        trade_state = t.TradeState, trade_state_desc = t.TradeStateDesc, attach = t.Attach,
        success_time = t.SuccessTime is { } at ? Rfc3339(at) : null,
        amount = new { total = t.Total, payer_total = t.TradeState == "SUCCESS" ? t.Total : 0, currency = "CNY", payer_currency = "CNY" },
    };

    /// <summary>A debit contract made for the payer to sign in their app (the APP scene of pre-entrust-sign).</summary>
    (int, object?) CreateContract(HttpRequest request, string text)
    {
        JsonNode body = JsonNode.Parse(text) ?? throw new JsonException("The body is empty.");
        string code = Field(body, "out_contract_code");
        if (Field(body, "sign_scene") != "SIGN_SCENE_APP")
        {
            return (400, Error("PARAM_ERROR", "sign_scene must be SIGN_SCENE_APP here."));
        }

        string planId = body["plan_id"]?.ToString() is { Length: > 0 } plan ? plan : throw new KeyNotFoundException("plan_id is required.");
        var contract = new SimulatedContract(code, planId, Field(body, "appid"), Field(body, "contract_display_account"), body["out_user_code"]?.GetValue<string>(),
            ContractNotifyUrl(body), "pe" + Convert.ToHexString(RandomNumberGenerator.GetBytes(14)).ToLowerInvariant(), Now);
        return book.Change(s =>
        {
            if (s.ContractBook.TryGetValue(code, out SimulatedContract? existing))
            {
                return existing.OutUserCode == contract.OutUserCode && existing.PlanId == planId
                    ? existing.State == "UNSIGNED" ? (200, (object?)new { pre_entrustweb_id = existing.PreEntrustwebId }) : (400, Error("CONTRACT_EXISTED", $"Contract {code} is {existing.State}."))
                    : (400, Error("INVALID_REQUEST", "out_contract_code was used for a contract with other terms."));
            }

            s.ContractBook[code] = contract;
            return (200, new { pre_entrustweb_id = contract.PreEntrustwebId });
        });
    }

    (int, object?) QueryContract(string code) =>
        book.Read(s => s.ContractBook.TryGetValue(code, out SimulatedContract? c)
            ? (200, (object?)ContractResource(c))
            : (404, Error("CONTRACT_NOT_EXIST", $"There is no contract {code}.")));

    /// <summary>The payer signs the contract in their app: it gets its contract id, and the merchant is told.</summary>
    (int, object?) SignContract(string code) =>
        book.Change(s =>
        {
            if (!s.ContractBook.TryGetValue(code, out SimulatedContract? c))
            {
                return (404, Error("CONTRACT_NOT_EXIST", $"There is no contract {code}."));
            }

            if (c.State != "UNSIGNED")
            {
                return (409, Error("CONTRACT_STATE_ERROR", $"Contract {code} is {c.State}."));
            }

            SimulatedContract signed = c with { State = "SIGNED", SignedTime = Now, ContractId = "2025" + RandomNumberGenerator.GetString("0123456789", 20) };
            s.ContractBook[code] = signed;
            Owe(s, signed.NotifyUrl, "ENTRUST.SIGN", "contract", code, ContractResource(signed), "签约成功");
            return (200, (object?)ContractResource(signed));
        });

    /// <summary>The contract ends, by the merchant's API or by the payer in their app; the merchant is told either way.</summary>
    (int, object?) EndContract(string code, string mode, string? remark) =>
        book.Change(s =>
        {
            if (!s.ContractBook.TryGetValue(code, out SimulatedContract? c))
            {
                return (404, Error("CONTRACT_NOT_EXIST", $"There is no contract {code}."));
            }

            if (c.State == "TERMINATED")
            {
                return (200, (object?)ContractResource(c));
            }

            SimulatedContract ended = c with { State = "TERMINATED", TerminatedTime = Now, TerminationMode = mode, TerminationRemark = remark ?? "" };
            s.ContractBook[code] = ended;
            Owe(s, ended.NotifyUrl, "ENTRUST.TERMINATE", "contract", code, ContractResource(ended), "解约成功");
            return (200, (object?)ContractResource(ended));
        });

    object ContractResource(SimulatedContract c) => new
    {
        mchid = crypto.MerchantId, appid = c.AppId, plan_id = long.TryParse(c.PlanId, out long plan) ? plan : 0, out_contract_code = c.OutContractCode,
        contract_id = c.ContractId, contract_display_account = c.DisplayAccount, out_user_code = c.OutUserCode,
        contract_state = c.State == "UNSIGNED" ? null : c.State,
        contract_signed_time = c.SignedTime is { } signed ? Rfc3339(signed) : null,
        contract_terminate_info = c.State == "TERMINATED"
            ? new { contract_termination_mode = c.TerminationMode, contract_terminated_time = Rfc3339(c.TerminatedTime!.Value), contract_termination_remark = c.TerminationRemark }
            : null,
    };

    /// <summary>
    /// A debit under a signed contract (受理扣款): accepted now, settled after the settle delay, or failed with the
    /// fault's reason; either way the merchant is told by a transaction notification.
    /// </summary>
    (int, object?) CreateDebit(HttpRequest request, string text)
    {
        JsonNode body = JsonNode.Parse(text) ?? throw new JsonException("The body is empty.");
        string outTradeNo = Field(body, "out_trade_no");
        string contractId = Field(body, "contract_id");
        long total = body["amount"]?["total"]?.GetValue<long>() ?? throw new KeyNotFoundException("amount.total is required.");
        if (total <= 0)
        {
            return (400, Error("PARAM_ERROR", "amount.total must be more than 0 fen."));
        }

        string url = Field(body, "transaction_notify_url");
        if (options.NotificationHandler is null && !IsLoopback(url))
        {
            throw new FormatException("transaction_notify_url must be a loopback address (127.0.0.1): the simulator sends nothing off this machine.");
        }

        var debit = new SimulatedTransaction(outTradeNo, Field(body, "appid"), Field(body, "description"), body["attach"]?.GetValue<string>(), url, total, "", Now,
            TradeState: "ACCEPT", TradeStateDesc: "accepted", TradeType: "PAP", ContractId: contractId,
            SettleAfterTicks: Environment.TickCount64 + (long)options.SettleAfter.TotalMilliseconds, FailReason: faults.FailDebits);
        return book.Change(s =>
        {
            if (!s.ContractBook.Values.Any(c => c.ContractId == contractId && c.State == "SIGNED"))
            {
                return (400, Error("CONTRACT_NOT_EXIST", $"No signed contract {contractId}."));
            }

            if (s.Transactions.TryGetValue(outTradeNo, out SimulatedTransaction? existing))
            {
                return existing.Total == total && existing.ContractId == contractId
                    ? (200, (object?)new { out_trade_no = outTradeNo, amount = new { total, currency = "CNY" } })
                    : (400, Error("INVALID_REQUEST", "out_trade_no was used for an order with other terms."));
            }

            s.Transactions[outTradeNo] = debit;
            return (200, new { out_trade_no = outTradeNo, amount = new { total, currency = "CNY" } });
        });
    }

    /// <summary>A refund of a paid order (by out_trade_no): at most what it paid, less what was refunded before; done after the settle delay.</summary>
    (int, object?) CreateRefund(HttpRequest request, string text)
    {
        JsonNode body = JsonNode.Parse(text) ?? throw new JsonException("The body is empty.");
        string outRefundNo = Field(body, "out_refund_no");
        string outTradeNo = Field(body, "out_trade_no");
        long refund = body["amount"]?["refund"]?.GetValue<long>() ?? throw new KeyNotFoundException("amount.refund is required.");
        long total = body["amount"]?["total"]?.GetValue<long>() ?? throw new KeyNotFoundException("amount.total is required.");
        string url = NotifyUrl(body);
        return book.Change(s =>
        {
            if (s.RefundBook.TryGetValue(outRefundNo, out SimulatedRefund? existing))
            {
                return existing.OutTradeNo == outTradeNo && existing.Refund == refund
                    ? (200, (object?)RefundResource(existing))
                    : (400, Error("INVALID_REQUEST", "out_refund_no was used for a refund with other terms."));
            }

            if (!s.Transactions.TryGetValue(outTradeNo, out SimulatedTransaction? paid) || paid.TradeState != "SUCCESS")
            {
                return (404, Error("RESOURCE_NOT_EXISTS", $"Order {outTradeNo} is not paid."));
            }

            long refundedBefore = s.RefundBook.Values.Where(r => r.OutTradeNo == outTradeNo).Sum(r => r.Refund);
            if (total != paid.Total || refund <= 0 || refund > paid.Total - refundedBefore)
            {
                return (400, Error("PARAM_ERROR", $"amount.total must be what the order paid ({paid.Total}) and amount.refund at most {paid.Total - refundedBefore} fen."));
            }

            var made = new SimulatedRefund(outRefundNo, "5030" + RandomNumberGenerator.GetString("0123456789", 24), outTradeNo, paid.TransactionId!, refund, total,
                body["reason"]?.GetValue<string>() ?? "", url, Now, Environment.TickCount64 + (long)options.SettleAfter.TotalMilliseconds);
            s.RefundBook[outRefundNo] = made;
            return (200, RefundResource(made));
        });
    }

    (int, object?) QueryRefund(string outRefundNo) =>
        book.Read(s => s.RefundBook.TryGetValue(outRefundNo, out SimulatedRefund? r)
            ? (200, (object?)RefundResource(r))
            : (404, Error("RESOURCE_NOT_EXISTS", $"There is no refund {outRefundNo}.")));

    static object RefundResource(SimulatedRefund r) => new
    {
        refund_id = r.RefundId, out_refund_no = r.OutRefundNo, transaction_id = r.TransactionId, out_trade_no = r.OutTradeNo, channel = "ORIGINAL",
        user_received_account = "支付用户零钱", status = r.Status, create_time = Rfc3339(r.CreatedAt), success_time = r.SuccessTime is { } at ? Rfc3339(at) : null,
        amount = new { total = r.Total, refund = r.Refund, payer_total = r.Total, payer_refund = r.Refund, currency = "CNY" },
    };

    /// <summary>A refund's notification resource, as WeChat Pay sends it: its state is <c>refund_status</c>.</summary>
    object RefundNotice(SimulatedRefund r) => new
    {
        mchid = crypto.MerchantId, out_trade_no = r.OutTradeNo, transaction_id = r.TransactionId, out_refund_no = r.OutRefundNo, refund_id = r.RefundId,
        refund_status = r.Status, success_time = r.SuccessTime is { } at ? Rfc3339(at) : null, user_received_account = "支付用户零钱",
        amount = new { total = r.Total, refund = r.Refund, payer_total = r.Total, payer_refund = r.Refund },
    };

    (int, object?) CreateTransfer(HttpRequest request, string text)
    {
        JsonNode body = JsonNode.Parse(text) ?? throw new JsonException("The body is empty.");
        string outBillNo = Field(body, "out_bill_no");
        long amount = body["transfer_amount"]?.GetValue<long>() ?? throw new KeyNotFoundException("transfer_amount is required.");
        if (amount <= 0)
        {
            return (400, Error("PARAM_ERROR", "transfer_amount must be more than 0 fen."));
        }

        if (request.Headers["Wechatpay-Serial"].ToString() != crypto.PlatformSerial)
        {
            return (400, Error("PARAM_ERROR", "Wechatpay-Serial must name the platform certificate the sensitive fields are encrypted to."));
        }

        string account = crypto.OpenSensitive(Field(body, "bank_account"));
        string name = crypto.OpenSensitive(Field(body, "user_name"));
        string? failure = faults.FailPayouts;
        var transfer = new SimulatedTransfer(outBillNo, "1330" + RandomNumberGenerator.GetString("0123456789", 24), Field(body, "appid"), amount, name, account,
            body["transfer_remark"]?.GetValue<string>() ?? "", NotifyUrl(body), Now, Environment.TickCount64 + (long)options.SettleAfter.TotalMilliseconds,
            FailReason: failure);
        return book.Change(s =>
        {
            if (s.Transfers.TryGetValue(outBillNo, out SimulatedTransfer? existing))
            {
                // A retried request: the same transfer answers again and nothing is paid twice.
                return existing.Amount == amount && existing.BankAccount == account
                    ? (200, (object?)TransferAnswer(existing))
                    : (400, Error("INVALID_REQUEST", "out_bill_no was used for a transfer with other terms."));
            }

            s.Transfers[outBillNo] = transfer;
            return (200, TransferAnswer(transfer));
        });
    }

    (int, object?) QueryTransfer(string outBillNo) =>
        book.Read(s => s.Transfers.TryGetValue(outBillNo, out SimulatedTransfer? t)
            ? (200, (object?)TransferResource(t))
            : (404, Error("NOT_FOUND", $"There is no transfer {outBillNo}.")));

    static object TransferAnswer(SimulatedTransfer t) => new { out_bill_no = t.OutBillNo, transfer_bill_no = t.TransferBillNo, create_time = Rfc3339(t.CreatedAt), state = t.State };

    object TransferResource(SimulatedTransfer t) => new
    {
        mch_id = crypto.MerchantId, out_bill_no = t.OutBillNo, transfer_bill_no = t.TransferBillNo, state = t.State, transfer_amount = t.Amount,
        account_ending = t.BankAccount[^4..], create_time = Rfc3339(t.CreatedAt), update_time = Rfc3339(t.UpdateTime ?? t.CreatedAt),
        fail_reason = t.State == "FAIL" ? t.FailReason : null,
    };

    /// <summary>Queues a signed notification with its resource encrypted, as WeChat Pay sends them.</summary>
    void Owe(ProviderBook.State s, string url, string eventType, string originalType, string subject, object resource, string summary)
    {
        DateTimeOffset now = Now;
        string id = Guid.NewGuid().ToString();
        EncryptedResource encrypted = crypto.Encrypt(JsonSerializer.Serialize(resource, Json), originalType, originalType);
        string body = JsonSerializer.Serialize(new
        {
            id, create_time = Rfc3339(now), resource_type = "encrypt-resource", event_type = eventType, summary,
            resource = new { algorithm = encrypted.Algorithm, ciphertext = encrypted.Ciphertext, associated_data = encrypted.AssociatedData, original_type = encrypted.OriginalType, nonce = encrypted.Nonce },
        }, Json);
        long first = Environment.TickCount64 + faults.NotificationDelayMs;
        s.Notifications.Add(new SimulatedNotification(id, url, body, eventType, subject, NextAttemptTicks: first));
        if (faults.DuplicateNotifications)
        {
            s.Notifications.Add(new SimulatedNotification(id, url, body, eventType, subject, NextAttemptTicks: first + 50));
        }
    }

    async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                SettleTransfers();
                SettleDebits();
                SettleRefunds();
                await DeliverAsync(cancellationToken);
                await Task.Delay(50, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "The payment simulator's worker failed a round");
            }
        }
    }

    void SettleTransfers() =>
        book.Change(s =>
        {
            long ticks = Environment.TickCount64;
            foreach (SimulatedTransfer t in s.Transfers.Values.Where(t => t.State == "ACCEPTED" && t.SettleAfterTicks <= ticks).ToList())
            {
                SimulatedTransfer done = t with { State = t.FailReason is null ? "SUCCESS" : "FAIL", UpdateTime = Now };
                s.Transfers[t.OutBillNo] = done;
                Owe(s, done.NotifyUrl, "MCHTRANSFER.BILL.FINISHED", "mch_payment", done.OutBillNo, TransferResource(done), done.State == "SUCCESS" ? "转账成功" : "转账失败");
            }

            return 0;
        });

    void SettleDebits() =>
        book.Change(s =>
        {
            long ticks = Environment.TickCount64;
            foreach (SimulatedTransaction t in s.Transactions.Values.Where(t => t.TradeType == "PAP" && t.TradeState == "ACCEPT" && t.SettleAfterTicks <= ticks).ToList())
            {
                SimulatedTransaction done = t.FailReason is null
                    ? t with { TradeState = "SUCCESS", TradeStateDesc = "paid", SuccessTime = Now, TransactionId = "4200" + RandomNumberGenerator.GetString("0123456789", 24) }
                    : t with { TradeState = "PAY_FAIL", TradeStateDesc = t.FailReason };
                s.Transactions[t.OutTradeNo] = done;
                Owe(s, done.NotifyUrl, done.FailReason is null ? "TRANSACTION.SUCCESS" : "TRANSACTION.FAIL", "transaction", done.OutTradeNo, TransactionResource(done),
                    done.FailReason is null ? "扣款成功" : "扣款失败");
            }

            return 0;
        });

    void SettleRefunds() =>
        book.Change(s =>
        {
            long ticks = Environment.TickCount64;
            foreach (SimulatedRefund r in s.RefundBook.Values.Where(r => r.Status == "PROCESSING" && r.SettleAfterTicks <= ticks).ToList())
            {
                SimulatedRefund done = r with { Status = "SUCCESS", SuccessTime = Now };
                s.RefundBook[r.OutRefundNo] = done;
                Owe(s, done.NotifyUrl, "REFUND.SUCCESS", "refund", done.OutRefundNo, RefundNotice(done), "退款成功");
            }

            return 0;
        });

    async Task DeliverAsync(CancellationToken cancellationToken)
    {
        long ticks = Environment.TickCount64;
        List<(int Index, SimulatedNotification Notification)> due = book.Read(s =>
            s.Notifications.Select((n, i) => (i, n)).Where(x => !x.n.Delivered && x.n.NextAttemptTicks <= ticks && x.n.Attempts <= options.NotificationRetries.Count).ToList());
        foreach ((int index, SimulatedNotification n) in due)
        {
            int status;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, n.Url) { Content = new StringContent(n.Body, Encoding.UTF8, "application/json") };
                foreach ((string name, string value) in crypto.Sign(n.Body, Now))
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }

                using HttpResponseMessage response = await notifier.SendAsync(request, cancellationToken);
                status = (int)response.StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                status = 0;
            }

            bool delivered = status is >= 200 and < 300;
            int attempts = n.Attempts + 1;
            long next = attempts <= options.NotificationRetries.Count ? Environment.TickCount64 + (long)options.NotificationRetries[attempts - 1].TotalMilliseconds : long.MaxValue;
            book.Change(s => s.Notifications[index] = n with { Attempts = attempts, Delivered = delivered, LastStatus = status, NextAttemptTicks = next });
            if (!delivered)
            {
                logger.LogInformation("Notification {Id} to {Url} answered {Status}; attempt {Attempts}", n.Id, n.Url, status == 0 ? "nothing" : status.ToString(CultureInfo.InvariantCulture), attempts);
            }
        }
    }

    /// <summary>The order's notify_url: the simulator sends traffic to this machine only, unless a test delivers for it.</summary>
    string NotifyUrl(JsonNode body)
    {
        string url = Field(body, "notify_url");
        return options.NotificationHandler is not null || IsLoopback(url) ? url : throw new FormatException("notify_url must be a loopback address (127.0.0.1): the simulator sends nothing off this machine.");
    }

    string ContractNotifyUrl(JsonNode body)
    {
        string url = Field(body, "contract_notify_url");
        return options.NotificationHandler is not null || IsLoopback(url) ? url : throw new FormatException("contract_notify_url must be a loopback address (127.0.0.1): the simulator sends nothing off this machine.");
    }

    static string Field(JsonNode body, string name) =>
        body[name]?.GetValue<string>() is { Length: > 0 } value ? value : throw new KeyNotFoundException($"{name} is required.");

    static string Rfc3339(DateTimeOffset at) => at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>True when <paramref name="url"/> names a loopback address (the simulator sends notifications nowhere else).</summary>
    static bool IsLoopback(string url) => Uri.TryCreate(url, UriKind.Absolute, out Uri? u) && (u.IsLoopback || IPAddress.TryParse(u.Host, out IPAddress? a) && IPAddress.IsLoopback(a));
}
