using System.Collections.Immutable;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Money;
using JisuDai.Lending.Repayments;
using JisuDai.Lending.Schedules;

namespace JisuDai.Lending.Ledger;

/// <summary>
/// A loan's book: its schedule and every transaction, append-only. Positions and quotes are derived by
/// replaying the transactions in value-date order (ties in recording order), so a back-dated payment or a
/// reversal re-allocates every later payment exactly as if history had been so from the start.
/// Payments beyond what is due become credit that settles installments as they fall due.
/// </summary>
/// <param name="Schedule">The repayment schedule.</param>
/// <param name="Waterfall">The allocation order.</param>
/// <param name="PrepaymentFeeRate">Fee on principal repaid before it is due, as a fraction of it.</param>
/// <param name="Transactions">Every transaction, in recording order.</param>
public sealed record LoanLedger(RepaymentSchedule Schedule, Waterfall Waterfall, decimal PrepaymentFeeRate, ImmutableList<LoanTransaction> Transactions)
{
    /// <summary>A new loan's ledger, with no transactions.</summary>
    public static LoanLedger Open(RepaymentSchedule schedule, Waterfall waterfall, decimal prepaymentFeeRate = 0m) =>
        new(schedule, waterfall, prepaymentFeeRate, []);

    /// <summary>The ledger with <paramref name="transaction"/> appended, or why it cannot be.</summary>
    public Outcome<LoanLedger> Record(LoanTransaction transaction)
    {
        var errors = new List<DomainError>();
        if (!DocumentKey.IsValid(transaction.Id))
        {
            errors.Add(new("id", "id-format", $"A transaction id must be 1 to {DocumentKey.MaxLength} letters, digits, '-', '_' or '.'; got '{transaction.Id}'."));
        }
        else if (Transactions.Any(t => t.Id == transaction.Id))
        {
            errors.Add(new("id", "id-unique", $"Transaction '{transaction.Id}' is already recorded."));
        }

        if (transaction.Date < Schedule.Terms.StartDate)
        {
            errors.Add(new("date", "date-after-disbursement", $"The date must not be before disbursement on {Schedule.Terms.StartDate:yyyy-MM-dd}."));
        }

        if (Transactions.OfType<PayoffReceived>().Any())
        {
            errors.Add(new("id", "loan-open", "The loan is paid off; nothing more can be recorded."));
        }

        errors.AddRange(transaction switch
        {
            RepaymentReceived r => AmountErrors(r.Amount),
            ChargeAssessed c => ChargeErrors(c),
            RepaymentReversed v => ReversalErrors(v),
            PayoffReceived p => PayoffErrors(p),
            _ => [new DomainError("type", "transaction-known", $"Unknown transaction {transaction.GetType().Name}.")],
        });

        return errors.Count > 0
            ? Outcome<LoanLedger>.Failure(errors)
            : Outcome<LoanLedger>.Success(this with { Transactions = Transactions.Add(transaction) });
    }

    /// <summary>The loan as it stands at the end of <paramref name="date"/>.</summary>
    public LoanPosition PositionOn(DateOnly date) => Replay(date, stopBeforePayoffOn: null).Position;

    /// <summary>The payoff quote for <paramref name="date"/> (what a <see cref="PayoffReceived"/> that day must pay).</summary>
    public PayoffQuote QuoteOn(DateOnly date) => Quote(Replay(date, stopBeforePayoffOn: date).Position, date);

    static IReadOnlyList<DomainError> AmountErrors(decimal amount) =>
        amount <= 0 || decimal.Round(amount, 2) != amount
            ? [new DomainError("amount", "amount-positive-fen", $"The amount must be more than 0 and whole fen; got {amount}.")]
            : [];

    IReadOnlyList<DomainError> ChargeErrors(ChargeAssessed charge)
    {
        var errors = AmountErrors(charge.Amount).ToList();
        if (charge.Component is not (Component.Penalty or Component.Fee))
        {
            errors.Add(new("component", "charge-is-penalty-or-fee", "Only penalties and fees are charged; interest and principal come from the schedule."));
        }

        if (!Schedule.Installments.Any(i => i.Number == charge.Installment))
        {
            errors.Add(new("installment", "installment-exists", $"The schedule has no installment {charge.Installment}."));
        }

        return errors;
    }

    IReadOnlyList<DomainError> ReversalErrors(RepaymentReversed reversal)
    {
        if (Transactions.FirstOrDefault(t => t.Id == reversal.RepaymentId) is not RepaymentReceived repayment)
        {
            return [new DomainError("repaymentId", "repayment-exists", $"No repayment '{reversal.RepaymentId}' to reverse.")];
        }

        if (Transactions.OfType<RepaymentReversed>().Any(v => v.RepaymentId == reversal.RepaymentId))
        {
            return [new DomainError("repaymentId", "reversed-once", $"Repayment '{reversal.RepaymentId}' is already reversed.")];
        }

        return reversal.Date < repayment.Date
            ? [new DomainError("date", "reversal-after-repayment", "A reversal cannot be dated before the repayment it reverses.")]
            : [];
    }

    IReadOnlyList<DomainError> PayoffErrors(PayoffReceived payoff)
    {
        if (Transactions.Any(t => t.Date > payoff.Date))
        {
            return [new DomainError("date", "payoff-is-latest", "A payoff must not be dated before transactions already recorded.")];
        }

        decimal quote = QuoteOn(payoff.Date).Total;
        return payoff.Amount != quote
            ? [new DomainError("amount", "payoff-equals-quote", $"The payoff on {payoff.Date:yyyy-MM-dd} is {quote}; got {payoff.Amount}.")]
            : [];
    }

    sealed record ReplayResult(LoanPosition Position);

    ReplayResult Replay(DateOnly date, DateOnly? stopBeforePayoffOn)
    {
        var reversed = Transactions.OfType<RepaymentReversed>().Where(v => v.Date <= date).Select(v => v.RepaymentId).ToHashSet();
        var events = Transactions
            .Select((t, order) => (t, order))
            .Where(e => e.t.Date <= date && e.t is not RepaymentReversed && !reversed.Contains(e.t.Id))
            .OrderBy(e => e.t.Date).ThenBy(e => e.order)
            .Select(e => e.t);

        InstallmentBalance[] balances = Schedule.Installments
            .Select(i => new InstallmentBalance(i.Number, i.DueDate, 0m, 0m, i.Interest, i.Principal)).ToArray();
        decimal credit = 0m;
        bool paidOff = false;
        var applied = new List<AppliedRepayment>();

        foreach (LoanTransaction transaction in events)
        {
            credit = ApplyCredit(balances, credit, transaction.Date);
            switch (transaction)
            {
                case ChargeAssessed charge:
                    int index = charge.Installment - 1;
                    balances[index] = charge.Component == Component.Penalty
                        ? balances[index] with { Penalty = balances[index].Penalty + charge.Amount }
                        : balances[index] with { Fee = balances[index].Fee + charge.Amount };
                    break;
                case RepaymentReceived repayment:
                    Allocation allocation = PaymentAllocation.Apply(balances, repayment.Amount, repayment.Date, Waterfall);
                    allocation.Balances.ToArray().CopyTo(balances, 0);
                    credit += allocation.Unapplied;
                    applied.Add(new AppliedRepayment(repayment.Id, allocation.Lines, allocation.Unapplied));
                    break;
                case PayoffReceived payoff when payoff.Date != stopBeforePayoffOn:
                    // Accepted only for the quote's exact amount: everything owed is settled, interest not yet
                    // accrued is waived, and credit beyond what was owed stays as credit, to be refunded.
                    credit = Quote(new LoanPosition(payoff.Date, balances, credit, false, applied), payoff.Date).Refund;
                    balances = Schedule.Installments.Select(i => new InstallmentBalance(i.Number, i.DueDate, 0m, 0m, 0m, 0m)).ToArray();
                    paidOff = true;
                    break;
            }
        }

        if (!paidOff)
        {
            credit = ApplyCredit(balances, credit, date);
        }

        return new ReplayResult(new LoanPosition(date, balances, credit, paidOff, applied));
    }

    decimal ApplyCredit(InstallmentBalance[] balances, decimal credit, DateOnly date)
    {
        if (credit <= 0)
        {
            return credit;
        }

        Allocation allocation = PaymentAllocation.Apply(balances, credit, date, Waterfall);
        allocation.Balances.ToArray().CopyTo(balances, 0);
        return allocation.Unapplied;
    }

    PayoffQuote Quote(LoanPosition position, DateOnly date)
    {
        if (position.PaidOff)
        {
            return new PayoffQuote(date, 0m, 0m, 0m, 0m, 0m);
        }

        decimal due = position.Balances.Where(b => b.DueDate <= date).Sum(b => b.Total);
        InstallmentBalance[] ahead = position.Balances.Where(b => b.DueDate > date).ToArray();
        decimal principalAhead = ahead.Sum(b => b.Principal);
        decimal accrued = 0m;
        if (ahead.Length > 0)
        {
            Installment current = Schedule.Installments[ahead[0].Number - 1];
            DateOnly periodStart = current.Number == 1 ? Schedule.Terms.StartDate : Schedule.Installments[current.Number - 2].DueDate;
            ScheduleTerms terms = Schedule.Terms;
            decimal scheduledBalance = current.Principal + current.OutstandingAfter;
            accrued = Math.Min(current.Interest,
                Yuan.Round(Periods.Accrued(scheduledBalance, terms.AnnualRate, periodStart, date, terms.DayCount)));
        }

        decimal fee = Yuan.Round(principalAhead * PrepaymentFeeRate);
        return new PayoffQuote(date, due, principalAhead, accrued, fee, position.Credit);
    }
}
