using System.Collections.Immutable;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Money;
using JisuDai.Lending.Repayments;
using JisuDai.Lending.Schedules;

namespace JisuDai.Lending.Ledger;

/// <summary>
/// A loan's book: its schedule and every transaction, append-only and numbered in the order recorded. Positions and
/// quotes are derived by replaying the transactions in that order (a position on a day takes those value-dated on or
/// before it), so nothing recorded later changes how an earlier transaction was applied: history is never
/// reinterpreted. A payment value-dated back still counts from its value date (what is due, interest accrued to it),
/// and what it would have prevented is taken back by appended entries (<see cref="ChargeReversed"/>), never by
/// rewriting old ones. A <see cref="RepaymentReversed"/> alone undoes a transaction: the ledger replays as if the
/// payment it names had never been received.
/// A repayment beyond what is due becomes a prepayment (by default, reducing the term), or, when
/// <see cref="Overpayment"/> is null, credit that settles installments as they fall due.
/// </summary>
/// <param name="Schedule">The repayment schedule.</param>
/// <param name="Waterfall">The allocation order.</param>
/// <param name="PrepaymentFeeRate">Fee on principal repaid before it is due, as a fraction of it.</param>
/// <param name="Overpayment">How a repayment's excess is applied: as a prepayment of this mode, or held as credit when null.</param>
/// <param name="Transactions">Every transaction, in recording order.</param>
public sealed record LoanLedger(RepaymentSchedule Schedule, Waterfall Waterfall, decimal PrepaymentFeeRate, PrepaymentMode? Overpayment, ImmutableList<LoanTransaction> Transactions)
{
    /// <summary>The id of the disbursement every ledger starts with.</summary>
    public const string DisbursementId = "disbursement";

    /// <summary>A new loan's ledger: its disbursement on the schedule's start date, nothing else yet.</summary>
    public static LoanLedger Open(RepaymentSchedule schedule, Waterfall waterfall, decimal prepaymentFeeRate = 0m,
        PrepaymentMode? overpayment = PrepaymentMode.ReduceTerm) =>
        new(schedule, waterfall, prepaymentFeeRate, overpayment,
            [new LoanDisbursed(DisbursementId, schedule.Terms.StartDate, schedule.Terms.Principal, schedule.Terms.OriginationFee)]);

    /// <summary>The ledger with <paramref name="transaction"/> appended, or why it cannot be.</summary>
    public Outcome<LoanLedger> Record(LoanTransaction transaction)
    {
        var errors = new List<DomainError>();
        int last = Transactions[^1].Sequence;
        if (transaction.Sequence != 0 && transaction.Sequence <= last)
        {
            errors.Add(new("sequence", "sequence-increasing", $"Transaction '{transaction.Id}' is numbered {transaction.Sequence}, but the ledger is already at {last}."));
        }

        if (!TransactionIds.IsValid(transaction.Id))
        {
            errors.Add(new("id", "id-format", $"A transaction id must be 1 to {DocumentKey.MaxLength} letters, digits, '-', '_' or '.', or such a reference in a namespace (repayment:, restructuring:, refund:); got '{transaction.Id}'."));
        }
        else if (Transactions.Any(t => t.Id == transaction.Id))
        {
            errors.Add(new("id", "id-unique", $"Transaction '{transaction.Id}' is already recorded."));
        }

        if (transaction.Date < Schedule.Terms.StartDate)
        {
            errors.Add(new("date", "date-after-disbursement", $"The date must not be before disbursement on {Schedule.Terms.StartDate:yyyy-MM-dd}."));
        }

        if (transaction is CreditRefunded)
        {
            // Credit is given back once nothing more is owed, so a refund comes after the payoff.
        }
        else if (Transactions.OfType<PayoffReceived>().Any())
        {
            errors.Add(new("id", "loan-open", "The loan is paid off; nothing more can be recorded."));
        }
        else if (Transactions.OfType<WriteOffRecorded>().Any())
        {
            errors.Add(new("id", "loan-open", "The loan is written off; nothing more can be recorded."));
        }

        errors.AddRange(transaction switch
        {
            RepaymentReceived r => AmountErrors(r.Amount),
            PrepaymentReceived p => AmountErrors(p.Amount).Concat(Enum.IsDefined(p.Mode) ? [] : [new DomainError("mode", "mode-known", $"Unknown prepayment mode {(int)p.Mode}.")]).ToList(),
            ChargeAssessed c => ChargeErrors(c),
            RepaymentReversed v => ReversalErrors(v),
            PayoffReceived p => PayoffErrors(p),
            WriteOffRecorded w => WriteOffErrors(w),
            LoanRestructured r => RestructuringErrors(r),
            CreditRefunded r => RefundErrors(r),
            ChargeReversed r => ChargeReversalErrors(r),
            LoanDisbursed => [new DomainError("type", "disbursed-once", "A loan is disbursed once, when its ledger is opened.")],
            _ => [new DomainError("type", "transaction-known", $"Unknown transaction {transaction.GetType().Name}.")],
        });

        return errors.Count > 0
            ? Outcome<LoanLedger>.Failure(errors)
            : Outcome<LoanLedger>.Success(this with { Transactions = Transactions.Add(transaction.Sequence == 0 ? transaction with { Sequence = last + 1 } : transaction) });
    }

    /// <summary>The loan as it stands at the end of <paramref name="date"/>.</summary>
    public LoanPosition PositionOn(DateOnly date) => Replay(date, stopBeforePayoffOn: null).Position;

    /// <summary>The installments as they stand on <paramref name="date"/>: prepayments and restructurings re-amortise them.</summary>
    public IReadOnlyList<Installment> ScheduleOn(DateOnly date) => Replay(date, stopBeforePayoffOn: null).Schedule;

    /// <summary>The payoff quote for <paramref name="date"/> (what a <see cref="PayoffReceived"/> that day must pay).</summary>
    public PayoffQuote QuoteOn(DateOnly date) => Quote(Replay(date, stopBeforePayoffOn: date), date);

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

        // Restructurings number their installments on from the original schedule's.
        int last = Schedule.Installments.Max(i => i.Number) + Transactions.OfType<LoanRestructured>().Sum(r => r.Terms.TermCount);
        if (charge.Installment < Schedule.Installments.Min(i => i.Number) || charge.Installment > last)
        {
            errors.Add(new("installment", "installment-exists", $"The schedule has no installment {charge.Installment}."));
        }

        return errors;
    }

    IReadOnlyList<DomainError> ReversalErrors(RepaymentReversed reversal)
    {
        LoanTransaction? repayment = Transactions.FirstOrDefault(t => t.Id == reversal.RepaymentId);
        if (repayment is not (RepaymentReceived or PrepaymentReceived))
        {
            return [new DomainError("repaymentId", "repayment-exists", $"No repayment or prepayment '{reversal.RepaymentId}' to reverse.")];
        }

        if (Transactions.OfType<RepaymentReversed>().Any(v => v.RepaymentId == reversal.RepaymentId))
        {
            return [new DomainError("repaymentId", "reversed-once", $"Repayment '{reversal.RepaymentId}' is already reversed.")];
        }

        return reversal.Date < repayment.Date
            ? [new DomainError("date", "reversal-after-repayment", "A reversal cannot be dated before the repayment it reverses.")]
            : [];
    }

    IReadOnlyList<DomainError> ChargeReversalErrors(ChargeReversed reversal)
    {
        if (Transactions.FirstOrDefault(t => t.Id == reversal.ChargeId) is not ChargeAssessed charge)
        {
            return [new DomainError("chargeId", "charge-exists", $"No charge '{reversal.ChargeId}' to take back.")];
        }

        var errors = AmountErrors(reversal.Amount).ToList();
        decimal left = charge.Amount - Transactions.OfType<ChargeReversed>().Where(r => r.ChargeId == charge.Id).Sum(r => r.Amount);
        if (reversal.Amount > left)
        {
            errors.Add(new("amount", "reversal-at-most-charge", $"Only {left} of charge '{charge.Id}' is left to take back; got {reversal.Amount}."));
        }

        if (reversal.Date != charge.Date)
        {
            errors.Add(new("date", "reversal-dated-as-charge", $"A reversal is dated as the charge it takes back ({charge.Date:yyyy-MM-dd})."));
        }

        return errors;
    }

    IReadOnlyList<DomainError> RefundErrors(CreditRefunded refund)
    {
        var errors = AmountErrors(refund.Amount).ToList();
        decimal credit = PositionOn(refund.Date).Credit;
        if (refund.Amount > credit)
        {
            errors.Add(new("amount", "refund-at-most-credit", $"On {refund.Date:yyyy-MM-dd} the loan holds {credit} of credit; {refund.Amount} cannot be given back."));
        }

        return errors;
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

    IReadOnlyList<DomainError> RestructuringErrors(LoanRestructured restructured)
    {
        if (restructured.Terms.Date != restructured.Date)
        {
            return [new DomainError("date", "restructuring-dated-once", "The new terms must start on the restructuring's date.")];
        }

        if (Transactions.Any(t => t.Date > restructured.Date))
        {
            return [new DomainError("date", "restructuring-is-latest", "A restructuring must not be dated before transactions already recorded.")];
        }

        ReplayResult replay = Replay(restructured.Date, stopBeforePayoffOn: null);
        return Restructuring.Reamortise(replay.Position, replay.Terms, restructured.Terms).Errors;
    }

    IReadOnlyList<DomainError> WriteOffErrors(WriteOffRecorded writeOff)
    {
        if (Transactions.Any(t => t.Date > writeOff.Date))
        {
            return [new DomainError("date", "write-off-is-latest", "A write-off must not be dated before transactions already recorded.")];
        }

        LoanPosition position = PositionOn(writeOff.Date);
        decimal owed = position.Outstanding - position.Credit;
        if (owed <= 0)
        {
            return [new DomainError("amount", "write-off-something-owed", "Nothing is owed; there is nothing to write off.")];
        }

        return writeOff.Amount != owed
            ? [new DomainError("amount", "write-off-equals-owed", $"On {writeOff.Date:yyyy-MM-dd} {owed} is owed; a write-off takes exactly that, got {writeOff.Amount}.")]
            : [];
    }

    /// <summary>The replay's state beyond the position: the schedule as prepayments re-amortised it, and where
    /// interest of an installment started accruing when a prepayment restarted it.</summary>
    sealed record ReplayResult(LoanPosition Position, IReadOnlyList<Installment> Schedule, IReadOnlyDictionary<int, DateOnly> AccrualFrom, ScheduleTerms Terms);

    ReplayResult Replay(DateOnly date, DateOnly? stopBeforePayoffOn)
    {
        var reversed = Transactions.OfType<RepaymentReversed>().Where(v => v.Date <= date).Select(v => v.RepaymentId).ToHashSet();
        // In recorded order (Record keeps Transactions so), whatever the value dates.
        var events = Transactions.Where(t => t.Date <= date && t is not RepaymentReversed && !reversed.Contains(t.Id));

        var schedule = Schedule.Installments.ToList();
        ScheduleTerms terms = Schedule.Terms;
        var balances = schedule.Select(i => new InstallmentBalance(i.Number, i.DueDate, 0m, 0m, i.Interest, i.Principal)).ToList();
        var accrualFrom = new Dictionary<int, DateOnly>();
        decimal credit = 0m;
        bool paidOff = false;
        decimal writtenOff = 0m;
        decimal chargesReversed = 0m;
        decimal reversedToCredit = 0m;
        var applied = new List<AppliedRepayment>();

        foreach (LoanTransaction transaction in events)
        {
            credit = ApplyCredit(balances, credit, transaction.Date);
            switch (transaction)
            {
                case ChargeAssessed charge:
                    int index = balances.FindIndex(b => b.Number == charge.Installment);
                    if (index < 0 && balances.Count == 0)
                    {
                        // Prepayments removed every installment: the charge is owed on its own, due on its date.
                        balances.Add(new InstallmentBalance(charge.Installment, charge.Date, 0m, 0m, 0m, 0m));
                        schedule.Add(new Installment(charge.Installment, charge.Date, 0m, 0m, 0m, 0m));
                    }

                    index = index < 0 ? balances.Count - 1 : index; // an installment a prepayment removed: charge the last one left
                    balances[index] = charge.Component == Component.Penalty
                        ? balances[index] with { Penalty = balances[index].Penalty + charge.Amount }
                        : balances[index] with { Fee = balances[index].Fee + charge.Amount };
                    break;
                case RepaymentReceived repayment when Overpayment is { } mode:
                    credit += Prepay(new PrepaymentReceived(repayment.Id, repayment.Date, repayment.Amount, mode, repayment.PrepaymentFeeRate), terms, schedule, balances, accrualFrom, applied);
                    break;
                case RepaymentReceived repayment:
                    Allocation allocation = PaymentAllocation.Apply(balances, repayment.Amount, repayment.Date, Waterfall);
                    Replace(balances, allocation.Balances);
                    credit += allocation.Unapplied;
                    applied.Add(new AppliedRepayment(repayment.Id, allocation.Lines, allocation.Unapplied));
                    break;
                case PrepaymentReceived prepayment:
                    credit += Prepay(prepayment, terms, schedule, balances, accrualFrom, applied);
                    break;
                case PayoffReceived payoff when payoff.Date != stopBeforePayoffOn:
                    // Accepted only for the quote's exact amount: everything owed is settled, interest not yet
                    // accrued is waived, and credit beyond what was owed stays as credit, to be refunded.
                    credit = Quote(new ReplayResult(new LoanPosition(payoff.Date, balances, credit, false, applied), schedule, accrualFrom, terms), payoff.Date).Refund;
                    balances = balances.Select(b => b with { Penalty = 0m, Fee = 0m, Interest = 0m, Principal = 0m }).ToList();
                    paidOff = true;
                    break;
                case LoanRestructured restructured:
                    // The new schedule takes all principal outstanding less credit (and the arrears, when capitalised);
                    // installments not yet due give way to it, numbered on from the last one.
                    RepaymentSchedule fresh = Restructuring.Reamortise(new LoanPosition(restructured.Date, balances, credit, false, applied), terms, restructured.Terms).Value
                        ?? throw new InvalidOperationException($"Restructuring {restructured.Id} no longer fits the ledger.");
                    int next = schedule.Max(i => i.Number) + 1;
                    var renumbered = fresh.Installments.Select(i => i with { Number = i.Number - 1 + next }).ToList();
                    balances = balances.Where(b => b.DueDate <= restructured.Date)
                        .Select(b => restructured.Terms.CapitaliseArrears ? b with { Penalty = 0m, Fee = 0m, Interest = 0m, Principal = 0m } : b with { Principal = 0m })
                        .Concat(renumbered.Select(i => new InstallmentBalance(i.Number, i.DueDate, 0m, 0m, i.Interest, i.Principal)))
                        .ToList();
                    schedule = schedule.Where(i => i.DueDate <= restructured.Date).Concat(renumbered).ToList();
                    terms = fresh.Terms;
                    credit = 0m;
                    break;
                case ChargeReversed reversal:
                    ChargeAssessed charged = Transactions.OfType<ChargeAssessed>().First(c => c.Id == reversal.ChargeId);
                    int at = balances.FindIndex(b => b.Number == charged.Installment);
                    at = at < 0 ? balances.Count - 1 : at; // moved, as the charge was, to the last installment left
                    decimal takenOff = at < 0 ? 0m : Math.Min(balances[at].Of(charged.Component), reversal.Amount);
                    if (takenOff > 0)
                    {
                        balances[at] = charged.Component == Component.Penalty
                            ? balances[at] with { Penalty = balances[at].Penalty - takenOff }
                            : balances[at] with { Fee = balances[at].Fee - takenOff };
                    }

                    // What the borrower already paid of it is theirs again.
                    credit += reversal.Amount - takenOff;
                    reversedToCredit += reversal.Amount - takenOff;
                    chargesReversed += reversal.Amount;
                    break;
                case CreditRefunded refund:
                    credit -= refund.Amount;
                    break;
                case WriteOffRecorded writeOff:
                    // Credit on hand counts against what is owed first (the write-off amount is net of it).
                    credit = ApplyCredit(balances, credit, writeOff.Date);
                    writtenOff = balances.Sum(b => b.Total) - credit;
                    credit = 0m;
                    balances = balances.Select(b => b with { Penalty = 0m, Fee = 0m, Interest = 0m, Principal = 0m }).ToList();
                    break;
            }
        }

        if (!paidOff)
        {
            credit = ApplyCredit(balances, credit, date);
        }

        return new ReplayResult(new LoanPosition(date, balances, credit, paidOff, applied, writtenOff, chargesReversed, reversedToCredit), schedule, accrualFrom, terms);
    }

    /// <summary>
    /// Applies a prepayment: what is due first, then interest accrued to its date on the current installment,
    /// then principal with the prepayment fee on it, re-amortising the installments to come. Returns what is left over (more than the whole
    /// loan), which becomes credit.
    /// </summary>
    decimal Prepay(PrepaymentReceived prepayment, ScheduleTerms terms, List<Installment> schedule, List<InstallmentBalance> balances,
        Dictionary<int, DateOnly> accrualFrom, List<AppliedRepayment> applied)
    {
        Allocation due = PaymentAllocation.Apply(balances, prepayment.Amount, prepayment.Date, Waterfall);
        Replace(balances, due.Balances);
        var lines = due.Lines.ToList();
        decimal left = due.Unapplied;
        decimal prepaymentFee = 0m;
        int k = balances.FindIndex(b => b.DueDate > prepayment.Date);
        if (k >= 0 && left > 0)
        {
            decimal accrued = AccruedInterest(terms, schedule, accrualFrom, balances, k, prepayment.Date);
            // Principal is prepaid only once the interest accrued to date is covered; less than that is held as credit.
            if (left > accrued)
            {
                if (accrued > 0)
                {
                    lines.Add(new AllocationLine(balances[k].Number, Component.Interest, accrued));
                    left -= accrued;
                }

                decimal principalAhead = balances.Skip(k).Sum(b => b.Principal);
                (decimal principalPaid, decimal fee) = PrincipalAndFee(left, principalAhead, prepayment.PrepaymentFeeRate);
                if (fee > 0)
                {
                    lines.Add(new AllocationLine(balances[k].Number, Component.Fee, fee));
                    prepaymentFee = fee;
                }

                lines.Add(new AllocationLine(balances[k].Number, Component.Principal, principalPaid));
                left -= principalPaid + fee;
                IReadOnlyList<Installment> remaining = Reamortisation.Remaining(
                    terms, schedule.Skip(k).ToList(), prepayment.Date, principalAhead - principalPaid, prepayment.Mode == PrepaymentMode.ReduceTerm);

                // Charges on installments a shorter term removes move to the last one kept, so none is lost.
                var dropped = balances.Skip(k + remaining.Count).ToList();
                var kept = balances.Skip(k).Take(remaining.Count).ToList();
                schedule.RemoveRange(k, schedule.Count - k);
                schedule.AddRange(remaining);
                balances.RemoveRange(k, balances.Count - k);
                balances.AddRange(remaining.Select((i, n) => new InstallmentBalance(i.Number, i.DueDate, kept[n].Penalty, kept[n].Fee, i.Interest, i.Principal)));
                if (balances.Count > k)
                {
                    balances[^1] = balances[^1] with { Penalty = balances[^1].Penalty + dropped.Sum(b => b.Penalty), Fee = balances[^1].Fee + dropped.Sum(b => b.Fee) };
                    accrualFrom[balances[k].Number] = prepayment.Date;
                }
                else if (dropped.Sum(b => b.Penalty + b.Fee) > 0)
                {
                    // All principal repaid, but charges sat on future installments: they stay owed, due now.
                    balances.Add(new InstallmentBalance(dropped[0].Number, prepayment.Date, dropped.Sum(b => b.Penalty), dropped.Sum(b => b.Fee), 0m, 0m));
                    schedule.Add(new Installment(dropped[0].Number, prepayment.Date, 0m, 0m, 0m, 0m));
                }
            }
        }

        applied.Add(new AppliedRepayment(prepayment.Id, lines, left, prepaymentFee));
        return left;
    }

    /// <summary>
    /// The most principal <paramref name="money"/> repays early with the prepayment fee on it (the fee rounded to the
    /// fen on its own, as a payoff quote rounds it), and that fee. Whole principal ahead costs exactly what the quote
    /// says; what is left after the most principal a fen at a time can buy stays as credit.
    /// </summary>
    static (decimal Principal, decimal Fee) PrincipalAndFee(decimal money, decimal principalAhead, decimal feeRate)
    {
        if (feeRate == 0m)
        {
            return (Math.Min(money, principalAhead), 0m);
        }

        decimal principal = Math.Min(principalAhead, Math.Floor(money / (1m + feeRate) * 100m) / 100m);
        while (principal < principalAhead && principal + Yuan.Fen + Yuan.Round((principal + Yuan.Fen) * feeRate) <= money)
        {
            principal += Yuan.Fen; // the fee's rounding can leave room for a fen more
        }

        while (principal > 0 && principal + Yuan.Round(principal * feeRate) > money)
        {
            principal -= Yuan.Fen; // or take it away
        }

        return (principal, Yuan.Round(principal * feeRate));
    }

    /// <summary>
    /// Interest accrued on installment <paramref name="k"/> up to <paramref name="date"/>: from the previous due
    /// date (or disbursement, or the prepayment that restarted it) on the balance it amortises, never more
    /// than the interest still owed on it.
    /// </summary>
    static decimal AccruedInterest(ScheduleTerms terms, IReadOnlyList<Installment> schedule, IReadOnlyDictionary<int, DateOnly> accrualFrom,
        IReadOnlyList<InstallmentBalance> balances, int k, DateOnly date)
    {
        Installment current = schedule[k];
        DateOnly from = accrualFrom.TryGetValue(current.Number, out DateOnly restarted) ? restarted
            : k == 0 ? terms.StartDate : schedule[k - 1].DueDate;
        decimal accrued = Periods.Accrued(current.Principal + current.OutstandingAfter, terms.AnnualRate, from, date, terms.DayCount);
        return Math.Min(balances[k].Interest, accrued);
    }

    static void Replace(List<InstallmentBalance> balances, IReadOnlyList<InstallmentBalance> with)
    {
        for (int i = 0; i < with.Count; i++)
        {
            balances[i] = with[i];
        }
    }

    decimal ApplyCredit(List<InstallmentBalance> balances, decimal credit, DateOnly date)
    {
        if (credit <= 0)
        {
            return credit;
        }

        Allocation allocation = PaymentAllocation.Apply(balances, credit, date, Waterfall);
        Replace(balances, allocation.Balances);
        return allocation.Unapplied;
    }

    PayoffQuote Quote(ReplayResult replay, DateOnly date)
    {
        LoanPosition position = replay.Position;
        if (position.PaidOff)
        {
            return new PayoffQuote(date, 0m, 0m, 0m, 0m, 0m);
        }

        decimal due = position.Balances.Where(b => b.DueDate <= date).Sum(b => b.Total);
        int k = position.Balances.ToList().FindIndex(b => b.DueDate > date);
        decimal principalAhead = k < 0 ? 0m : position.Balances.Skip(k).Sum(b => b.Principal);
        decimal accrued = k < 0 ? 0m : AccruedInterest(replay.Terms, replay.Schedule, replay.AccrualFrom, position.Balances, k, date);

        decimal fee = Yuan.Round(principalAhead * PrepaymentFeeRate);
        return new PayoffQuote(date, due, principalAhead, accrued, fee, position.Credit);
    }
}
