using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JisuDai.App.Payments;
using JisuDai.Lending.Payments;

namespace JisuDai.Adapters.Payments.WeChatPay;

/// <summary>The provider answered with an error, or with an answer that is not signed by its platform certificate.</summary>
public sealed class PaymentProviderException(string message, int status = 0, string? code = null) : Exception(message)
{
    /// <summary>The HTTP status (0 when there was no answer to trust).</summary>
    public int Status { get; } = status;

    /// <summary>The provider's error code (PARAM_ERROR, SIGN_ERROR…).</summary>
    public string? Code { get; } = code;
}

/// <summary>
/// The payment provider over WeChat Pay API v3's merchant protocol (docs/payments.md says what is followed and where
/// this departs): APP orders for the borrower's payments, transfer bills for payouts, debit contracts and debits under
/// them (委托代扣), refunds, queries of each, and notifications checked and opened. Every request is signed with our merchant key and carries our idempotency key
/// (<c>out_trade_no</c>, <c>out_bill_no</c>); every answer is checked against the platform certificate before it is read.
/// </summary>
public sealed class WeChatPayProvider(HttpClient http, MerchantAccount account, TimeProvider clock) : IPaymentProvider
{
    /// <summary>How far a notification's timestamp may be from our clock.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromMinutes(5);

    /// <summary>The transfer scene of a loan disbursement (a scene the merchant registers with the provider).</summary>
    const string LoanDisbursementScene = "1000";

    public async Task<PayoutStatus> RequestPayoutAsync(PayoutOrder order, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["appid"] = account.AppId, ["out_bill_no"] = order.TransferId, ["transfer_scene_id"] = LoanDisbursementScene,
            ["user_name"] = account.EncryptSensitive(order.AccountName), ["bank_account"] = account.EncryptSensitive(order.AccountNumber),
            ["transfer_amount"] = Fen(order.Amount), ["transfer_remark"] = order.Remark, ["notify_url"] = account.NotifyUrl,
        };
        JsonNode? answer;
        try
        {
            (_, answer) = await SendAsync(HttpMethod.Post, "/v3/fund-app/mch-transfer/transfer-bills", body.ToJsonString(), cancellationToken, sensitive: true);
        }
        catch (PaymentProviderException e) when (e.Status is >= 400 and < 500 and not 401 and not 429)
        {
            // The provider refused the transfer outright (a signed answer): nothing was paid, and asking again is refused again.
            return new PayoutStatus(order.TransferId, "", ProviderState.Failed, order.Amount, order.AccountNumber[^4..], clock.GetUtcNow(), $"{e.Code}: {e.Message}");
        }

        return new PayoutStatus(order.TransferId, Text(answer!, "transfer_bill_no"), PayoutState(Text(answer!, "state")), order.Amount, order.AccountNumber[^4..],
            Time(answer!, "create_time"), null);
    }

    public async Task<PayoutStatus?> FindPayoutAsync(string transferId, CancellationToken cancellationToken)
    {
        (HttpStatusCode status, JsonNode? answer) = await SendAsync(HttpMethod.Get, $"/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/{Uri.EscapeDataString(transferId)}", "", cancellationToken, allowNotFound: true);
        return status == HttpStatusCode.NotFound ? null : PayoutOf(answer!);
    }

    public async Task<string> CreateCollectionAsync(CollectionOrder order, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["appid"] = account.AppId, ["mchid"] = account.MerchantId, ["description"] = order.Description, ["out_trade_no"] = order.OrderNo,
            ["attach"] = order.CustomerId, ["notify_url"] = account.NotifyUrl,
            ["amount"] = new JsonObject { ["total"] = Fen(order.Amount), ["currency"] = "CNY" },
        };
        (_, JsonNode? answer) = await SendAsync(HttpMethod.Post, "/v3/pay/transactions/app", body.ToJsonString(), cancellationToken);
        return Text(answer!, "prepay_id");
    }

    public async Task<CollectionStatus?> FindCollectionAsync(string orderNo, CancellationToken cancellationToken)
    {
        (HttpStatusCode status, JsonNode? answer) = await SendAsync(HttpMethod.Get,
            $"/v3/pay/transactions/out-trade-no/{Uri.EscapeDataString(orderNo)}?mchid={Uri.EscapeDataString(account.MerchantId)}", "", cancellationToken, allowNotFound: true);
        return status == HttpStatusCode.NotFound ? null : CollectionOf(answer!);
    }

    public async Task<string> CreateAgreementAsync(AgreementOrder order, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["sign_scene"] = "SIGN_SCENE_APP", ["appid"] = account.AppId, ["plan_id"] = PlanId, ["out_contract_code"] = order.ContractCode,
            ["contract_display_account"] = order.DisplayAccount, ["out_user_code"] = order.CustomerId, ["contract_notify_url"] = account.NotifyUrl,
        };
        (_, JsonNode? answer) = await SendAsync(HttpMethod.Post, "/v3/papay/sign/contracts/pre-entrust-sign", body.ToJsonString(), cancellationToken);
        return Text(answer!, "pre_entrustweb_id");
    }

    public async Task<AgreementStatus?> FindAgreementAsync(string contractCode, CancellationToken cancellationToken)
    {
        (HttpStatusCode status, JsonNode? answer) = await SendAsync(HttpMethod.Get, ContractPath(contractCode), "", cancellationToken, allowNotFound: true);
        return status == HttpStatusCode.NotFound ? null : AgreementOf(answer!);
    }

    public async Task<AgreementStatus> TerminateAgreementAsync(string contractCode, string remark, CancellationToken cancellationToken)
    {
        (_, JsonNode? answer) = await SendAsync(HttpMethod.Post, ContractPath(contractCode) + "/terminate",
            new JsonObject { ["contract_termination_remark"] = remark }.ToJsonString(), cancellationToken);
        return AgreementOf(answer!);
    }

    public async Task<string?> RequestDebitAsync(DebitOrder order, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["appid"] = account.AppId, ["out_trade_no"] = order.OrderNo, ["description"] = order.Description, ["contract_id"] = order.ContractId,
            ["attach"] = order.CustomerId, ["transaction_notify_url"] = account.NotifyUrl,
            ["amount"] = new JsonObject { ["total"] = Fen(order.Amount), ["currency"] = "CNY" },
        };
        try
        {
            await SendAsync(HttpMethod.Post, "/v3/papay/pay/transactions/apply", body.ToJsonString(), cancellationToken);
            return null;
        }
        catch (PaymentProviderException e) when (e.Status is >= 400 and < 500 and not 401 and not 429)
        {
            // Refused outright (a signed answer): nothing was debited, and asking again is refused again.
            return $"{e.Code}: {e.Message}";
        }
    }

    long PlanId => account.DebitPlanId ?? throw new PaymentProviderException("No debit plan is configured (Payments:DebitPlanId); this merchant takes no debit agreements.");

    string ContractPath(string contractCode) =>
        $"/v3/papay/sign/contracts/plan-id/{PlanId.ToString(CultureInfo.InvariantCulture)}/out-contract-code/{Uri.EscapeDataString(contractCode)}";

    public async Task<RefundReport> RequestRefundAsync(RefundOrder order, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["out_trade_no"] = order.OrderNo, ["out_refund_no"] = order.RefundNo, ["reason"] = order.Reason, ["notify_url"] = account.NotifyUrl,
            ["amount"] = new JsonObject { ["refund"] = Fen(order.Amount), ["total"] = Fen(order.OrderTotal), ["currency"] = "CNY" },
        };
        (_, JsonNode? answer) = await SendAsync(HttpMethod.Post, "/v3/refund/domestic/refunds", body.ToJsonString(), cancellationToken);
        return RefundOf(answer!, "status");
    }

    public async Task<RefundReport?> FindRefundAsync(string refundNo, CancellationToken cancellationToken)
    {
        (HttpStatusCode status, JsonNode? answer) = await SendAsync(HttpMethod.Get, $"/v3/refund/domestic/refunds/{Uri.EscapeDataString(refundNo)}", "", cancellationToken, allowNotFound: true);
        return status == HttpStatusCode.NotFound ? null : RefundOf(answer!, "status");
    }

    public async Task<IReadOnlyList<SettlementLine>> StatementAsync(DateOnly date, CancellationToken cancellationToken)
    {
        string day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        (_, JsonNode? bill) = await SendAsync(HttpMethod.Get, $"/v3/bill/tradebill?bill_date={day}&bill_type=ALL", "", cancellationToken);
        var download = new Uri(Text(bill!, "download_url"));
        if (!string.Equals(download.GetLeftPart(UriPartial.Authority), account.BaseUrl.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            throw new PaymentProviderException($"The statement's download address {download.GetLeftPart(UriPartial.Authority)} is not the provider's; it is not fetched.");
        }

        string file = await DownloadAsync(download.PathAndQuery, cancellationToken);
        if (!string.Equals(Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes(file))), Text(bill!, "hash_value"), StringComparison.OrdinalIgnoreCase))
        {
            throw new PaymentProviderException($"The statement of {day} does not match its SHA-1; it is not read.");
        }

        return StatementLines.Parse(file);
    }

    public OpenedNotice Open(IReadOnlyDictionary<string, string> headers, string body)
    {
        string? Header(string name) => headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
        string? timestamp = Header("Wechatpay-Timestamp");
        if (!account.IsPlatformSigned(Header("Wechatpay-Serial"), timestamp, Header("Wechatpay-Nonce"), Header("Wechatpay-Signature"), body))
        {
            return Refused(NoticeRefusal.Unauthenticated, "The notification's signature is missing or does not verify with the platform certificate.");
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out long seconds) ||
            (clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Freshness)
        {
            return Refused(NoticeRefusal.Unauthenticated, "The notification's timestamp is more than 5 minutes from our clock.");
        }

        try
        {
            JsonNode notice = JsonNode.Parse(body)!;
            JsonNode resource = notice["resource"] ?? throw new FormatException("resource is missing.");
            if (Text(resource, "algorithm") != "AEAD_AES_256_GCM")
            {
                return Refused(NoticeRefusal.Unreadable, "The resource is not encrypted with AEAD_AES_256_GCM.");
            }

            if (account.OpenResource(Text(resource, "ciphertext"), Text(resource, "nonce"), resource["associated_data"]?.GetValue<string>() ?? "") is not { } plain)
            {
                return Refused(NoticeRefusal.Unreadable, "The resource does not open with the API v3 key.");
            }

            JsonNode opened = JsonNode.Parse(plain)!;
            string type = Text(resource, "original_type");
            string eventType = Text(notice, "event_type");
            var result = new ProviderNotice(Text(notice, "id"), eventType, Time(notice, "create_time"),
                type == "transaction" ? CollectionOf(opened) : null, type == "mch_payment" ? PayoutOf(opened) : null,
                eventType.StartsWith("ENTRUST.", StringComparison.Ordinal) ? AgreementOf(opened) : null,
                type == "refund" ? RefundOf(opened, "refund_status") : null);
            return result.Collection is null && result.Payout is null && result.Agreement is null && result.Refund is null
                ? Refused(NoticeRefusal.Unreadable, $"The resource's type {type} ({eventType}) is not a payment, a transfer, a debit agreement or a refund.")
                : new OpenedNotice(result, null, "");
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            return Refused(NoticeRefusal.Unreadable, $"The notification is not one this platform reads: {e.Message}");
        }
    }

    static OpenedNotice Refused(NoticeRefusal refusal, string detail) => new(null, refusal, detail);

    async Task<(HttpStatusCode, JsonNode?)> SendAsync(HttpMethod method, string pathAndQuery, string body, CancellationToken cancellationToken, bool allowNotFound = false, bool sensitive = false)
    {
        using var request = new HttpRequestMessage(method, new Uri(account.BaseUrl, pathAndQuery));
        request.Headers.TryAddWithoutValidation("Authorization", account.Authorize(method.Method, pathAndQuery, body, clock.GetUtcNow()));
        request.Headers.Accept.ParseAdd("application/json");
        if (sensitive)
        {
            // Names the platform certificate the sensitive fields are encrypted to.
            request.Headers.TryAddWithoutValidation("Wechatpay-Serial", account.PlatformSerial);
        }

        if (method != HttpMethod.Get)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        string? Header(string name) => response.Headers.TryGetValues(name, out IEnumerable<string>? values) ? values.FirstOrDefault() : null;
        if (!account.IsPlatformSigned(Header("Wechatpay-Serial"), Header("Wechatpay-Timestamp"), Header("Wechatpay-Nonce"), Header("Wechatpay-Signature"), text))
        {
            throw new PaymentProviderException($"The provider's answer to {method} {pathAndQuery} ({(int)response.StatusCode}) is not signed by the platform certificate; it is not read.");
        }

        if (response.IsSuccessStatusCode || (allowNotFound && response.StatusCode == HttpStatusCode.NotFound))
        {
            return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
        }

        JsonNode? error = text.Length == 0 ? null : JsonNode.Parse(text);
        throw new PaymentProviderException($"The provider refused {method} {pathAndQuery}: {(int)response.StatusCode} {error?["code"]} {error?["message"]}",
            (int)response.StatusCode, error?["code"]?.GetValue<string>());
    }

    /// <summary>A signed GET whose answer is a file, not JSON (the statement): its integrity is checked by the hash the signed bill answer gave.</summary>
    async Task<string> DownloadAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(account.BaseUrl, pathAndQuery));
        request.Headers.TryAddWithoutValidation("Authorization", account.Authorize("GET", pathAndQuery, "", clock.GetUtcNow()));
        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode ? text : throw new PaymentProviderException($"The provider refused GET {pathAndQuery}: {(int)response.StatusCode} {text}", (int)response.StatusCode);
    }

    static PayoutStatus PayoutOf(JsonNode bill) => new(Text(bill, "out_bill_no"), Text(bill, "transfer_bill_no"), PayoutState(Text(bill, "state")),
        Yuan(bill["transfer_amount"]!.GetValue<long>()), bill["account_ending"]?.GetValue<string>() ?? "", Time(bill, "update_time"), bill["fail_reason"]?.GetValue<string>());

    static CollectionStatus CollectionOf(JsonNode t)
    {
        string state = Text(t, "trade_state");
        JsonNode amount = t["amount"] ?? throw new FormatException("amount is missing.");
        return new CollectionStatus(Text(t, "out_trade_no"), t["attach"]?.GetValue<string>() ?? "", t["transaction_id"]?.GetValue<string>(),
            state switch
            {
                "SUCCESS" or "REFUND" => ProviderState.Succeeded,
                "CLOSED" or "REVOKED" => ProviderState.Closed,
                "PAY_FAIL" => ProviderState.Failed, // a debit the payer's bank refused: that order is over
                _ => ProviderState.Pending, // NOTPAY, USERPAYING, PAYERROR: the payer may still pay; ACCEPT: a debit not finished
            },
            Yuan(state is "SUCCESS" or "REFUND" ? amount["payer_total"]?.GetValue<long>() ?? amount["total"]!.GetValue<long>() : amount["total"]!.GetValue<long>()),
            t["success_time"]?.GetValue<string>() is { } paid ? DateTimeOffset.Parse(paid, CultureInfo.InvariantCulture) : null,
            t["trade_state_desc"]?.GetValue<string>());
    }

    /// <summary>A refund's report: the answer and the query name its state <c>status</c>, a notification <c>refund_status</c>.</summary>
    static RefundReport RefundOf(JsonNode r, string stateField) =>
        new(Text(r, "out_refund_no"), Text(r, "out_trade_no"), r["refund_id"]?.GetValue<string>() ?? "",
            Text(r, stateField) switch
            {
                "SUCCESS" => ProviderState.Succeeded,
                "ABNORMAL" => ProviderState.Failed,
                "CLOSED" => ProviderState.Closed,
                _ => ProviderState.Pending, // PROCESSING
            },
            Yuan((r["amount"] ?? throw new FormatException("amount is missing."))["refund"]!.GetValue<long>()),
            r["success_time"]?.GetValue<string>() is { Length: > 0 } at ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture) : null);

    static AgreementStatus AgreementOf(JsonNode c)
    {
        string? state = c["contract_state"]?.GetValue<string>();
        JsonNode? ended = c["contract_terminate_info"];
        string? Time(JsonNode? node, string name) => node?[name]?.GetValue<string>();
        string? at = state == "TERMINATED" ? Time(ended, "contract_terminated_time") : Time(c, "contract_signed_time");
        return new AgreementStatus(Text(c, "out_contract_code"), c["out_user_code"]?.GetValue<string>() ?? "", c["contract_id"]?.GetValue<string>(),
            state switch { "SIGNED" => AgreementState.Signed, "TERMINATED" => AgreementState.Terminated, _ => AgreementState.Pending },
            at is null ? null : DateTimeOffset.Parse(at, CultureInfo.InvariantCulture), Time(ended, "contract_termination_mode"));
    }

    static ProviderState PayoutState(string state) => state switch
    {
        "SUCCESS" => ProviderState.Succeeded,
        "FAIL" => ProviderState.Failed,
        "CANCELLED" => ProviderState.Closed,
        _ => ProviderState.Pending, // ACCEPTED, PROCESSING, WAIT_USER_CONFIRM, TRANSFERING, CANCELING
    };

    static long Fen(decimal yuan) => decimal.Round(yuan, 2) == yuan ? (long)(yuan * 100) : throw new ArgumentException($"{yuan} is not a whole number of fen.");

    static decimal Yuan(long fen) => fen / 100m;

    static string Text(JsonNode node, string name) => node[name]?.GetValue<string>() ?? throw new FormatException($"{name} is missing.");

    static DateTimeOffset Time(JsonNode node, string name) => DateTimeOffset.Parse(Text(node, name), CultureInfo.InvariantCulture);
}
