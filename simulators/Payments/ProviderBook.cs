using System.Text.Json;

namespace JisuDai.Simulators.Payments;

/// <summary>A collection order (WeChat Pay's transaction): the payer pays it in their app.</summary>
/// <remarks>A debit under a contract (trade type PAP) has no prepay id: it is accepted, then settles or fails by itself after a while.</remarks>
public sealed record SimulatedTransaction(
    string OutTradeNo, string AppId, string Description, string? Attach, string NotifyUrl, long Total, string PrepayId, DateTimeOffset CreatedAt,
    string TradeState = "NOTPAY", string TradeStateDesc = "not paid", string? TransactionId = null, DateTimeOffset? SuccessTime = null,
    string TradeType = "APP", string? ContractId = null, long SettleAfterTicks = 0, string? FailReason = null);

/// <summary>A debit contract (委托代扣): made by the merchant, signed by the payer in their app, ended by either.</summary>
public sealed record SimulatedContract(
    string OutContractCode, string PlanId, string AppId, string DisplayAccount, string? OutUserCode, string NotifyUrl, string PreEntrustwebId,
    DateTimeOffset CreatedAt, string State = "UNSIGNED", string? ContractId = null, DateTimeOffset? SignedTime = null, DateTimeOffset? TerminatedTime = null,
    string? TerminationMode = null, string? TerminationRemark = null);

/// <summary>A transfer to a payee's bank account (WeChat Pay's transfer bill): accepted, then finished after a while.</summary>
public sealed record SimulatedTransfer(
    string OutBillNo, string TransferBillNo, string AppId, long Amount, string UserName, string BankAccount, string Remark, string NotifyUrl,
    DateTimeOffset CreatedAt, long SettleAfterTicks, string State = "ACCEPTED", DateTimeOffset? UpdateTime = null, string? FailReason = null);

/// <summary>Money of a paid order given back to its payer: processing, then done after a while.</summary>
public sealed record SimulatedRefund(
    string OutRefundNo, string RefundId, string OutTradeNo, string TransactionId, long Refund, long Total, string Reason, string NotifyUrl,
    DateTimeOffset CreatedAt, long SettleAfterTicks, string Status = "PROCESSING", DateTimeOffset? SuccessTime = null);

/// <summary>A notification on its way to the merchant: retried until the merchant answers 2xx.</summary>
public sealed record SimulatedNotification(string Id, string Url, string Body, string EventType, string Subject, int Attempts = 0, long NextAttemptTicks = 0, bool Delivered = false, int LastStatus = 0);

/// <summary>
/// The simulated provider's books: orders, transfers and the notifications owed, under one lock, saved to a JSON file
/// after each change (when given one) so a restart of the host finds them again, as a real provider would.
/// </summary>
public sealed class ProviderBook(string? stateFile)
{
    readonly object gate = new();
    State state = Load(stateFile);

    public sealed record State(Dictionary<string, SimulatedTransaction> Transactions, Dictionary<string, SimulatedTransfer> Transfers, List<SimulatedNotification> Notifications,
        Dictionary<string, SimulatedContract>? Contracts = null, Dictionary<string, SimulatedRefund>? Refunds = null)
    {
        /// <summary>The contracts (a book saved before contracts existed has none).</summary>
        public Dictionary<string, SimulatedContract> ContractBook => Contracts!;

        /// <summary>The refunds (a book saved before refunds existed has none).</summary>
        public Dictionary<string, SimulatedRefund> RefundBook => Refunds!;
    }

    public T Read<T>(Func<State, T> read)
    {
        lock (gate)
        {
            return read(state);
        }
    }

    public T Change<T>(Func<State, T> change)
    {
        lock (gate)
        {
            T result = change(state);
            Save();
            return result;
        }
    }

    void Save()
    {
        if (stateFile is null)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(stateFile)!);
        string temporary = stateFile + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(state));
        File.Move(temporary, stateFile, overwrite: true);
    }

    static State Load(string? file)
    {
        State loaded = file is not null && File.Exists(file) ? JsonSerializer.Deserialize<State>(File.ReadAllText(file))! : new State([], [], []);
        return loaded with { Contracts = loaded.Contracts ?? [], Refunds = loaded.Refunds ?? [] };
    }
}
