using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JisuDai.App.Bureau;
using JisuDai.Risk.Bureau;

namespace JisuDai.Adapters.Bureau;

/// <summary>
/// The lender's member connection to a credit bureau (docs/risk.md, "Credit bureau"): <c>POST {base}/v1/credit-reports</c>
/// with the person, the purpose and the authorisation, signed with HMAC-SHA256 under the member's secret over the
/// method, path, timestamp, a fresh nonce and the body's SHA-256. Anything but a 200 with a report, or no answer within
/// the timeout, is <see cref="CreditBureauUnavailableException"/>.
/// </summary>
public sealed class HttpCreditBureau(HttpClient http, Uri baseUrl, string memberId, string secret, TimeProvider clock) : ICreditBureau
{
    const string Path = "/v1/credit-reports";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<CreditReport> InquireAsync(BureauQuestion question, CancellationToken cancellationToken)
    {
        string body = JsonSerializer.Serialize(new
        {
            name = question.Name, idNumber = question.IdNumber, phone = question.Phone, purpose = question.Purpose,
            authorization = new { reference = question.ConsentReference, at = question.ConsentedAt },
        }, Json);
        string timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        string nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        string canonical = $"POST\n{Path}\n{timestamp}\n{nonce}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)))}";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, Path.TrimStart('/'))) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Member-Id", memberId);
        request.Headers.Add("X-Timestamp", timestamp);
        request.Headers.Add("X-Nonce", nonce);
        request.Headers.Add("X-Signature", Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(canonical))));
        try
        {
            using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new CreditBureauUnavailableException($"the bureau answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }

            Answer answer = await response.Content.ReadFromJsonAsync<Answer>(Json, cancellationToken) is { ReportId: not null, Inquiries: not null, Loans: not null, Delinquency: not null } whole
                ? whole
                : throw new CreditBureauUnavailableException("the bureau's answer is not a whole report");
            return new CreditReport("bureau", answer.ReportId, answer.ReportedAt, answer.Found, answer.Inquiries.Last1m, answer.Inquiries.Last3m, answer.Inquiries.Last6m,
                answer.Loans.Open, answer.Loans.Balance, answer.Loans.MonthlyRepayments, answer.Delinquency.WorstDaysPastDue24m, answer.Delinquency.Accounts24m);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            throw new CreditBureauUnavailableException($"the bureau did not answer: {e.Message}", e);
        }
    }

    sealed record Answer(string ReportId, DateTimeOffset ReportedAt, bool Found, Inquiries Inquiries, Loans Loans, Delinquency Delinquency);

    sealed record Inquiries(int Last1m, int Last3m, int Last6m);

    sealed record Loans(int Open, decimal Balance, decimal MonthlyRepayments);

    sealed record Delinquency(int WorstDaysPastDue24m, int Accounts24m);
}

/// <summary>No bureau configured (<c>Bureau:BaseUrl</c> unset outside the standalone host): every inquiry is unavailable, which the rules see.</summary>
public sealed class UnconfiguredCreditBureau : ICreditBureau
{
    public Task<CreditReport> InquireAsync(BureauQuestion question, CancellationToken cancellationToken) =>
        throw new CreditBureauUnavailableException("no credit bureau is configured (Bureau:BaseUrl).");
}
