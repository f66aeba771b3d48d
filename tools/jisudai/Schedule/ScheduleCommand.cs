using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using JisuDai.Lending;
using JisuDai.Lending.Products;
using JisuDai.Lending.Schedules;
using JisuDai.Risk.Rules;

namespace JisuDai.Tools.Schedule;

/// <summary>
/// <c>jisudai schedule</c>: prints a repayment schedule as a table or JSON, so a loan officer can check a quote.
/// </summary>
static class ScheduleCommand
{
    static readonly Dictionary<string, RepaymentMethod> Methods = new()
    {
        ["equal-installment"] = RepaymentMethod.EqualInstallment,
        ["equal-principal"] = RepaymentMethod.EqualPrincipal,
        ["interest-first"] = RepaymentMethod.InterestFirst,
        ["bullet"] = RepaymentMethod.Bullet,
    };

    static readonly Dictionary<string, PaymentFrequency> Frequencies = new()
    {
        ["monthly"] = PaymentFrequency.Monthly,
        ["bi-weekly"] = PaymentFrequency.BiWeekly,
        ["weekly"] = PaymentFrequency.Weekly,
    };

    static readonly Dictionary<string, DayCountConvention> DayCounts = new()
    {
        ["30-360"] = DayCountConvention.Thirty360,
        ["act-365"] = DayCountConvention.Actual365Fixed,
    };

    public static Command Create()
    {
        var amount = new Option<decimal>("--amount") { Description = "Principal in yuan.", Required = true };
        var rate = new Option<decimal>("--annual-rate") { Description = "Nominal annual rate in percent (12 = 12%).", Required = true };
        var term = new Option<int>("--term") { Description = "Number of periods.", Required = true };
        var method = new Option<string>("--method") { Description = $"One of {string.Join(", ", Methods.Keys)}.", Required = true };
        var frequency = new Option<string>("--frequency") { Description = $"One of {string.Join(", ", Frequencies.Keys)}.", DefaultValueFactory = _ => "monthly" };
        var dayCount = new Option<string>("--day-count") { Description = $"One of {string.Join(", ", DayCounts.Keys)}.", DefaultValueFactory = _ => "30-360" };
        var start = new Option<string?>("--start") { Description = "Disbursement date (yyyy-MM-dd); default today in Asia/Shanghai." };
        var grace = new Option<int>("--grace") { Description = "Interest-only periods at the start.", DefaultValueFactory = _ => 0 };
        var fee = new Option<decimal>("--fee") { Description = "Origination fee in yuan, taken at disbursement.", DefaultValueFactory = _ => 0m };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };

        var command = new Command("schedule", "Prints a loan's repayment schedule, totals and APR.")
        {
            amount, rate, term, method, frequency, dayCount, start, grace, fee, json,
        };
        command.SetAction(parse =>
        {
            var errors = new List<DomainError>();
            RepaymentMethod? m = Lookup(Methods, parse.GetValue(method)!, "method", errors);
            PaymentFrequency? f = Lookup(Frequencies, parse.GetValue(frequency)!, "frequency", errors);
            DayCountConvention? d = Lookup(DayCounts, parse.GetValue(dayCount)!, "dayCount", errors);
            DateOnly startDate = Today();
            if (parse.GetValue(start) is { } text && !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out startDate))
            {
                errors.Add(new("start", "date-format", $"--start must be a date as yyyy-MM-dd; got '{text}'."));
            }

            // Unknown names stand in as defaults so the other fields are still checked and reported together.
            Outcome<RepaymentSchedule> outcome = RepaymentSchedules.Build(new ScheduleTerms(
                parse.GetValue(amount), parse.GetValue(rate) / 100m, parse.GetValue(term),
                m ?? RepaymentMethod.EqualInstallment, f ?? PaymentFrequency.Monthly, d ?? DayCountConvention.Thirty360,
                startDate, parse.GetValue(grace), parse.GetValue(fee)));
            if (outcome.Succeeded && errors.Count == 0)
            {
                Console.Out.Write(parse.GetValue(json) ? Json(outcome.Value!) : Table(outcome.Value!));
                return 0;
            }

            errors.AddRange(outcome.Errors.Where(e => errors.All(known => known.Field != e.Field)));

            foreach (DomainError error in errors)
            {
                Console.Error.WriteLine($"{error.Field}: {error.Message} [{error.Rule}]");
            }

            return 2;
        });
        return command;
    }

    static T? Lookup<T>(Dictionary<string, T> names, string name, string field, List<DomainError> errors) where T : struct
    {
        if (names.TryGetValue(name, out T value))
        {
            return value;
        }

        errors.Add(new(field, $"{field}-known", $"Unknown {field} '{name}'; use one of {string.Join(", ", names.Keys)}."));
        return null;
    }

    // The lender's calendar day, read here at the edge: the domain never reads a clock.
    static DateOnly Today() =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime);

    static string Table(RepaymentSchedule schedule)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{"No.",4}  {"Due date",-10}  {"Principal",14}  {"Interest",12}  {"Total",14}  {"Outstanding",14}");
        foreach (Installment i in schedule.Installments)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{i.Number,4}  {i.DueDate:yyyy-MM-dd}  {i.Principal,14:N2}  {i.Interest,12:N2}  {i.Total,14:N2}  {i.OutstandingAfter,14:N2}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"{"",4}  {"Total",-10}  {schedule.Terms.Principal,14:N2}  {schedule.TotalInterest,12:N2}  {schedule.TotalRepayable,14:N2}");
        text.AppendLine(CultureInfo.InvariantCulture, $"Net disbursed {schedule.NetDisbursed:N2} (fee {schedule.Terms.OriginationFee:N2}); APR {schedule.Apr * 100:0.00}%");
        return text.ToString();
    }

    static string Json(RepaymentSchedule schedule) => JsonSerializer.Serialize(new
    {
        terms = schedule.Terms,
        installments = schedule.Installments,
        totalInterest = schedule.TotalInterest,
        totalRepayable = schedule.TotalRepayable,
        netDisbursed = schedule.NetDisbursed,
        apr = schedule.Apr,
    }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true, Converters = { new JsonStringEnumConverter() } }) + Environment.NewLine;
}
