namespace JisuDai.Lending.Repayments;

/// <summary>The parts of what a borrower owes on an installment.</summary>
public enum Component
{
    /// <summary>Penalty interest on overdue principal.</summary>
    Penalty,
    /// <summary>Fees charged (late fees and the like).</summary>
    Fee,
    /// <summary>Contractual interest.</summary>
    Interest,
    /// <summary>Principal.</summary>
    Principal,
}

/// <summary>
/// The order a payment settles what is due: installment by installment, oldest first, and within an
/// installment the components in <see cref="Order"/>.
/// </summary>
/// <param name="Order">Each component exactly once, first settled first.</param>
public sealed record Waterfall(IReadOnlyList<Component> Order)
{
    /// <summary>Penalty, then fees, then interest, then principal.</summary>
    public static Waterfall Default { get; } = new([Component.Penalty, Component.Fee, Component.Interest, Component.Principal]);

    /// <summary>Errors when the order does not name every component exactly once.</summary>
    public IReadOnlyList<DomainError> Check() =>
        Order.Count == 4 && Order.Distinct().Count() == 4 && Order.All(Enum.IsDefined)
            ? []
            : [new DomainError("waterfall", "waterfall-complete", "The waterfall must list penalty, fee, interest and principal, each exactly once.")];
}
