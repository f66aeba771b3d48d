using CsCheck;
using JisuDai.Lending.Repayments;

namespace JisuDai.Lending.Tests;

public sealed class PaymentAllocationTests
{
    static readonly DateOnly Jan = new(2026, 1, 15), Feb = new(2026, 2, 15), Mar = new(2026, 3, 15);

    static readonly InstallmentBalance[] Dues =
    [
        new(1, Jan, Penalty: 3m, Fee: 20m, Interest: 100m, Principal: 788.49m),
        new(2, Feb, Penalty: 0m, Fee: 0m, Interest: 92.12m, Principal: 796.37m),
        new(3, Mar, Penalty: 0m, Fee: 0m, Interest: 84.15m, Principal: 804.34m),
    ];

    [Fact]
    public void A_partial_payment_settles_the_oldest_installment_penalty_then_fee_then_interest_then_principal()
    {
        Allocation allocation = PaymentAllocation.Apply(Dues, 150m, Feb, Waterfall.Default);

        Assert.Equal(
            [new AllocationLine(1, Component.Penalty, 3m), new AllocationLine(1, Component.Fee, 20m),
             new AllocationLine(1, Component.Interest, 100m), new AllocationLine(1, Component.Principal, 27m)],
            allocation.Lines);
        Assert.Equal(761.49m, allocation.Balances[0].Principal);
        Assert.Equal(Dues[1], allocation.Balances[1]);
        Assert.Equal(0m, allocation.Unapplied);
    }

    [Fact]
    public void Installments_not_yet_due_are_untouched_and_the_excess_is_returned_unapplied()
    {
        Allocation allocation = PaymentAllocation.Apply(Dues, 5_000m, Feb, Waterfall.Default);

        Assert.Equal(0m, allocation.Balances[0].Total);
        Assert.Equal(0m, allocation.Balances[1].Total);
        Assert.Equal(Dues[2], allocation.Balances[2]);
        Assert.Equal(5_000m - Dues[0].Total - Dues[1].Total, allocation.Unapplied);
    }

    [Fact]
    public void A_configured_waterfall_changes_the_order_within_an_installment()
    {
        var principalFirst = new Waterfall([Component.Principal, Component.Interest, Component.Fee, Component.Penalty]);

        Allocation allocation = PaymentAllocation.Apply(Dues, 800m, Jan, principalFirst);

        Assert.Equal([new AllocationLine(1, Component.Principal, 788.49m), new AllocationLine(1, Component.Interest, 11.51m)], allocation.Lines);
    }

    [Fact]
    public void An_incomplete_waterfall_is_a_domain_error()
    {
        DomainError error = Assert.Single(new Waterfall([Component.Interest, Component.Interest, Component.Principal, Component.Fee]).Check());
        Assert.Equal(("waterfall", "waterfall-complete"), (error.Field, error.Rule));
        Assert.Empty(Waterfall.Default.Check());
    }

    static readonly Gen<InstallmentBalance[]> Balances =
        Gen.Select(Gen.Int[0, 5_000], Gen.Int[0, 5_000], Gen.Int[0, 50_000], Gen.Int[0, 500_000])
            .Select((p, f, i, pr) => (Penalty: p / 100m, Fee: f / 100m, Interest: i / 100m, Principal: pr / 100m))
            .Array[1, 36]
            .Select(parts => parts.Select((x, n) => new InstallmentBalance(n + 1, Jan.AddMonths(n), x.Penalty, x.Fee, x.Interest, x.Principal)).ToArray());

    [Fact]
    public void Allocation_conserves_money_to_the_fen_and_never_overpays_a_component() =>
        Gen.Select(Balances, Gen.Long[1, 10_000_000], Gen.Int[0, 40], Gen.Shuffle(new[] { Component.Penalty, Component.Fee, Component.Interest, Component.Principal }))
            .Sample((dues, paymentFen, months, order) =>
            {
                decimal payment = paymentFen / 100m;
                Allocation allocation = PaymentAllocation.Apply(dues, payment, Jan.AddMonths(months), new Waterfall(order));
                bool conserved = allocation.Lines.Sum(l => l.Amount) + allocation.Unapplied == payment;
                bool nothingNegative = allocation.Balances.All(b => b.Penalty >= 0 && b.Fee >= 0 && b.Interest >= 0 && b.Principal >= 0);
                bool owedFellByWhatWasApplied = dues.Sum(d => d.Total) - allocation.Balances.Sum(b => b.Total) == payment - allocation.Unapplied;
                bool unappliedOnlyWhenAllDuePaid = allocation.Unapplied == 0 || allocation.Balances.Where(b => b.DueDate <= Jan.AddMonths(months)).All(b => b.Total == 0);
                return conserved && nothingNegative && owedFellByWhatWasApplied && unappliedOnlyWhenAllDuePaid;
            });
}
