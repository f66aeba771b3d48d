using System.Text.Json.Serialization;
using JisuDai.Lending.Delinquency;
using JisuDai.Lending.Ledger;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Products;

namespace JisuDai.Risk.Outcomes;

/// <summary>Where one outcome label stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Label>))]
public enum Label
{
    /// <summary>Its window has not passed and nothing bad has happened yet: not known, never counted as good.</summary>
    Immature,
    /// <summary>The window passed (or the loan was repaid) without the event.</summary>
    Good,
    /// <summary>The event happened within the window: final at once.</summary>
    Bad,
}

/// <summary>
/// What a booked loan did, as of <paramref name="AsOf"/>, in the windows credit models are trained on: the outcome joined
/// to the credit decision that made it, so a model can learn from what its loans did.
/// </summary>
/// <param name="Id">The loan's id (one outcome per loan).</param>
/// <param name="CustomerId">The borrower.</param>
/// <param name="ApplicationId">The application the loan was booked from.</param>
/// <param name="DecisionId">The credit decision of that application, when it is known.</param>
/// <param name="DisbursedOn">When the money went out: months on book count from here.</param>
/// <param name="AsOf">The day the labels were read on.</param>
/// <param name="MonthsOnBook">Whole months from disbursement to <paramref name="AsOf"/>.</param>
/// <param name="Ever30In3">30 or more days past due within 3 months on book.</param>
/// <param name="Ever30In6">Within 6 months.</param>
/// <param name="Ever30In12">Within 12 months.</param>
/// <param name="Ever90In12">90 or more days past due within 12 months.</param>
/// <param name="FirstPaymentDefault">The first installment still unpaid 30 days after it fell due.</param>
/// <param name="WorstDaysPastDue">The most days past due found at the days the labels look at.</param>
/// <param name="First30On">The first day the loan was 30 or more days past due, if it has been (vintage curves count from it).</param>
/// <param name="MonthEndDaysPastDue">Days past due at each month on book from 1 (disbursement plus k months) while the loan was open, for roll rates: a repaid loan's list ends when it closed.</param>
/// <param name="FirstDueOn">The first installment's due date (the first-payment-default window ends 30 days after it).</param>
public sealed record LoanOutcome(
    string Id, string CustomerId, string ApplicationId, string? DecisionId, DateOnly DisbursedOn, DateOnly AsOf, int MonthsOnBook,
    Label Ever30In3, Label Ever30In6, Label Ever30In12, Label Ever90In12, Label FirstPaymentDefault, int WorstDaysPastDue,
    DateOnly? First30On, IReadOnlyList<int> MonthEndDaysPastDue, DateOnly? FirstDueOn = null) : Lending.Documents.ICustomerDocument
{
    /// <summary>The day <paramref name="window"/> ends for this loan: every loan's label is known by then.</summary>
    public DateOnly WindowEnd(string window) => window switch
    {
        OutcomeWindows.FirstPaymentDefault => (FirstDueOn ?? DisbursedOn.AddMonths(1)).AddDays(30),
        OutcomeWindows.Ever30In3 => DisbursedOn.AddMonths(3),
        OutcomeWindows.Ever30In6 => DisbursedOn.AddMonths(6),
        _ => DisbursedOn.AddMonths(12),
    };

    /// <summary>
    /// The label of <paramref name="window"/> when its window has ended by <paramref name="asOf"/>, else null. Rates are
    /// read from these only: a bad is final the day it happens, a good only when the window ends, so counting final
    /// labels of loans whose window is still open would overstate the bad rate.
    /// </summary>
    public Label? MaturedLabel(string window, DateOnly asOf) =>
        WindowEnd(window) <= asOf && LabelOf(window) is Label.Good or Label.Bad ? LabelOf(window) : null;

    /// <summary>The label of a named window: ever30in3, ever30in6, ever30in12, ever90in12 or fpd.</summary>
    public Label? LabelOf(string window) => window switch
    {
        OutcomeWindows.Ever30In3 => Ever30In3,
        OutcomeWindows.Ever30In6 => Ever30In6,
        OutcomeWindows.Ever30In12 => Ever30In12,
        OutcomeWindows.Ever90In12 => Ever90In12,
        OutcomeWindows.FirstPaymentDefault => FirstPaymentDefault,
        _ => null,
    };

    /// <summary>True when every label is final: nothing this loan does from now on changes them.</summary>
    [JsonIgnore]
    public bool Final => new[] { Ever30In3, Ever30In6, Ever30In12, Ever90In12, FirstPaymentDefault }.All(l => l != Label.Immature);
}

/// <summary>The names of the outcome windows, as monitoring, training and the API spell them.</summary>
public static class OutcomeWindows
{
    /// <summary>30+ days past due within 3 months on book.</summary>
    public const string Ever30In3 = "ever30in3";

    /// <summary>30+ within 6 months.</summary>
    public const string Ever30In6 = "ever30in6";

    /// <summary>30+ within 12 months.</summary>
    public const string Ever30In12 = "ever30in12";

    /// <summary>90+ within 12 months.</summary>
    public const string Ever90In12 = "ever90in12";

    /// <summary>First-payment default.</summary>
    public const string FirstPaymentDefault = "fpd";

    /// <summary>Every window, shortest first.</summary>
    public static IReadOnlyList<string> All { get; } = [FirstPaymentDefault, Ever30In3, Ever30In6, Ever30In12, Ever90In12];
}

/// <summary>
/// Labels a booked loan from its ledger. Days past due count from the oldest installment still unpaid, so a loan first
/// reaches N days past due on some installment's due date plus N, if that installment is unpaid at the end of that day:
/// the labels read the ledger on exactly those days (a handful per loan, not every day). A label turns Bad the day its
/// event happens inside its window; Good once the window has passed without it, or once the loan is repaid (it cannot
/// fall due again); Immature until then. A write-off inside a window is Bad for it. Loans never paid out (pending or
/// cancelled) lent nothing and get no labels. The ledger is read as it stands, with any restructuring's new terms.
/// </summary>
public static class OutcomeLabels
{
    /// <summary>The outcome of <paramref name="loan"/> as of <paramref name="asOf"/>, or null for a loan that lent nothing.</summary>
    public static LoanOutcome? Of(Loan loan, string? decisionId, DateOnly asOf)
    {
        if (!loan.IsPaidOut || loan.Schedule is null || loan.DisbursedOn > asOf)
        {
            return null;
        }

        LoanProduct product = loan.ProductTerms();
        LoanLedger ledger = LoanSweep.LedgerOf(loan, product);
        DateOnly? repaidOn = loan.Status == LoanStatus.PaidOff ? ClosedOn(loan, LoanEventType.LoanPaidOff) : null;
        DateOnly? writtenOffOn = loan.Status == LoanStatus.WrittenOff ? ClosedOn(loan, LoanEventType.LoanWrittenOff) ?? loan.WriteOff?.On : null;
        var dueDates = loan.Schedule.Installments.Select(i => i.DueDate).Distinct().Order().ToList();
        int worst = 0;

        // The first day, within [disbursed, until], on which the loan was at least `days` past due; null if none.
        DateOnly? FirstReached(int days, DateOnly until)
        {
            foreach (DateOnly due in dueDates)
            {
                DateOnly day = due.AddDays(days);
                if (day > until)
                {
                    break;
                }

                int past = Arrears.Assess(ledger.PositionOn(day), product.Delinquency).DaysPastDue;
                worst = Math.Max(worst, past);
                if (past >= days)
                {
                    return day;
                }
            }

            return null;
        }

        Label Ever(int days, int months)
        {
            DateOnly windowEnd = loan.DisbursedOn.AddMonths(months);
            DateOnly until = Min(windowEnd, asOf);
            if (FirstReached(days, until) is not null || writtenOffOn is { } w && w <= until)
            {
                return Label.Bad;
            }

            return windowEnd <= asOf || repaidOn is { } r && r <= asOf ? Label.Good : Label.Immature;
        }

        Label firstPayment;
        DateOnly firstCheck = dueDates[0].AddDays(30);
        if (firstCheck <= asOf)
        {
            int past = Arrears.Assess(ledger.PositionOn(firstCheck), product.Delinquency).DaysPastDue;
            worst = Math.Max(worst, past);
            // 30 days past due that day means the first installment is the one unpaid: it is the oldest.
            firstPayment = past >= 30 ? Label.Bad : Label.Good;
        }
        else
        {
            firstPayment = repaidOn is { } r && r <= asOf ? Label.Good : Label.Immature;
        }

        Label e30in3 = Ever(30, 3), e30in6 = Ever(30, 6), e30in12 = Ever(30, 12), e90in12 = Ever(90, 12);
        DateOnly? first30 = FirstReached(30, asOf);
        int months = MonthsBetween(loan.DisbursedOn, asOf);
        var monthEnds = new List<int>(months);
        for (int k = 1; k <= months; k++)
        {
            DateOnly day = loan.DisbursedOn.AddMonths(k);
            // A repaid loan leaves the book: no more month-ends, so it adds no current-to-current roll after it closed.
            if (repaidOn is { } paid && paid <= day)
            {
                break;
            }

            monthEnds.Add(Arrears.Assess(ledger.PositionOn(day), product.Delinquency).DaysPastDue);
        }

        return new LoanOutcome(
            loan.Id, loan.CustomerId, loan.ApplicationId, decisionId, loan.DisbursedOn, asOf, months,
            e30in3, e30in6, e30in12, e90in12, firstPayment, Math.Max(worst, monthEnds.DefaultIfEmpty().Max()), first30, monthEnds, dueDates[0]);
    }

    static DateOnly? ClosedOn(Loan loan, LoanEventType type) =>
        (loan.Events ?? []).LastOrDefault(e => e.Type == type)?.On;

    static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    /// <summary>Whole months from <paramref name="from"/> to <paramref name="to"/> (months on book).</summary>
    public static int MonthsBetween(DateOnly from, DateOnly to)
    {
        int months = (to.Year - from.Year) * 12 + to.Month - from.Month;
        return to.Day < from.Day && months > 0 ? months - 1 : months;
    }
}
