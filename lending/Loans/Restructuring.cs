using JisuDai.Lending.Ledger;
using JisuDai.Lending.Products;
using JisuDai.Lending.Schedules;

namespace JisuDai.Lending.Loans;

/// <summary>New terms for a loan in difficulty.</summary>
/// <param name="Date">The restructuring date: the new schedule starts here.</param>
/// <param name="AnnualRate">The new nominal rate.</param>
/// <param name="TermCount">The new number of periods.</param>
/// <param name="Method">The new repayment method.</param>
/// <param name="CapitaliseArrears">True to add overdue interest, penalties and fees to the new principal;
/// false leaves them owed on the old schedule's installments.</param>
public sealed record RestructuringRequest(DateOnly Date, decimal AnnualRate, int TermCount, RepaymentMethod Method, bool CapitaliseArrears);

/// <summary>Re-amortises what is outstanding over new terms.</summary>
public static class Restructuring
{
    /// <summary>The new schedule: outstanding principal (plus arrears when capitalised) over the new terms.</summary>
    public static Outcome<RepaymentSchedule> Reamortise(LoanPosition position, ScheduleTerms original, RestructuringRequest request)
    {
        if (position.PaidOff || position.PrincipalOutstanding == 0)
        {
            return Outcome<RepaymentSchedule>.Failure([new DomainError("loan", "loan-outstanding", "Only a loan with principal outstanding can be restructured.")]);
        }

        decimal arrears = position.Balances.Where(b => b.DueDate <= position.Date).Sum(b => b.Penalty + b.Fee + b.Interest);
        decimal principal = position.PrincipalOutstanding + (request.CapitaliseArrears ? arrears : 0m) - position.Credit;
        return RepaymentSchedules.Build(original with
        {
            Principal = principal,
            AnnualRate = request.AnnualRate,
            TermCount = request.TermCount,
            Method = request.Method,
            StartDate = request.Date,
            GracePeriods = 0,
            OriginationFee = 0m,
        });
    }
}
