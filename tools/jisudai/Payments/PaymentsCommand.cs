using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;

namespace JisuDai.Tools.Payments;

/// <summary>
/// <c>jisudai payments pay &lt;paymentId&gt;</c>: what a borrower does in their payment app, against the local host's
/// payment-provider simulator: pays the payment's order, after which the simulator notifies the app and the loan
/// shows the repayment. <c>--outcome insufficient-funds</c> acts out a payment the payer's bank refuses.
/// </summary>
static class PaymentsCommand
{
    public static Command Create()
    {
        var simulator = new Option<string>("--simulator") { Description = "The payment simulator's URL.", DefaultValueFactory = _ => "http://127.0.0.1:7072", Recursive = true };
        var paymentId = new Argument<string>("paymentId") { Description = "The payment's id, as POST /api/loans/{id}/payments answered it." };
        var outcome = new Option<string>("--outcome") { Description = "success, or a refusal such as insufficient-funds.", DefaultValueFactory = _ => "success" };
        var pay = new Command("pay", "Pays a payment in the borrower's stead at the local payment simulator.") { paymentId, outcome };
        pay.SetAction(async (parse, cancellationToken) =>
        {
            string id = parse.GetValue(paymentId)!;
            string orderNo = id.Contains('.') ? id[..id.IndexOf('.')] : id;
            using var http = new HttpClient { BaseAddress = new Uri(parse.GetValue(simulator)!.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(30) };
            try
            {
                using HttpResponseMessage paid = await http.PostAsJsonAsync($"simulator/transactions/{Uri.EscapeDataString(orderNo)}/pay", new { outcome = parse.GetValue(outcome) }, cancellationToken);
                JsonElement answer = await paid.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
                if (!paid.IsSuccessStatusCode)
                {
                    await Console.Error.WriteLineAsync($"The simulator refused: {answer.GetProperty("code")} {answer.GetProperty("message")}");
                    return 1;
                }

                await Console.Out.WriteLineAsync($"{orderNo}: {answer.GetProperty("trade_state")} ({answer.GetProperty("amount").GetProperty("total").GetInt64() / 100m:0.00} yuan)"
                    + (answer.GetProperty("trade_state").GetString() == "SUCCESS" ? $", transaction {answer.GetProperty("transaction_id")}; the simulator now notifies the app." : "."));
                return 0;
            }
            catch (HttpRequestException e)
            {
                await Console.Error.WriteLineAsync($"The payment simulator at {http.BaseAddress} does not answer ({e.Message}); is ./run.sh running?");
                return 2;
            }
        });
        return new Command("payments", "Payments at the local payment-provider simulator.") { simulator, pay };
    }
}
