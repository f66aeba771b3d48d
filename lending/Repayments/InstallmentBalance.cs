using JisuDai.Lending.Schedules;
namespace JisuDai.Lending.Repayments;

/// <summary>What is still owed on one installment.</summary>
/// <param name="Number">The installment's number in the schedule.</param>
/// <param name="DueDate">When it falls due.</param>
/// <param name="Penalty">Penalty interest owed.</param>
/// <param name="Fee">Fees owed.</param>
/// <param name="Interest">Contractual interest owed.</param>
/// <param name="Principal">Principal owed.</param>
public sealed record InstallmentBalance(int Number, DateOnly DueDate, decimal Penalty, decimal Fee, decimal Interest, decimal Principal)
{
    /// <summary>Everything owed on it.</summary>
    public decimal Total => Penalty + Fee + Interest + Principal;

    /// <summary>The amount owed of one component.</summary>
    public decimal Of(Component component) => component switch
    {
        Component.Penalty => Penalty,
        Component.Fee => Fee,
        Component.Interest => Interest,
        _ => Principal,
    };

    /// <summary>This balance with <paramref name="amount"/> of <paramref name="component"/> settled.</summary>
    public InstallmentBalance Settle(Component component, decimal amount) => component switch
    {
        Component.Penalty => this with { Penalty = Penalty - amount },
        Component.Fee => this with { Fee = Fee - amount },
        Component.Interest => this with { Interest = Interest - amount },
        _ => this with { Principal = Principal - amount },
    };
}

/// <summary>One line of an allocation: how much of a payment settled which component of which installment.</summary>
public sealed record AllocationLine(int Installment, Component Component, decimal Amount);
