namespace JisuDai.App.Payments;

/// <summary>What the lender's merchant account at the provider allows.</summary>
/// <param name="TakesDebitAgreements">True when a debit plan is configured (<c>Payments:DebitPlanId</c>): borrowers may sign debit agreements.</param>
public sealed record PaymentSettings(bool TakesDebitAgreements);
