namespace JisuDai.Lending.Products;

/// <summary>How principal and interest are spread over the installments.</summary>
public enum RepaymentMethod
{
    /// <summary>等额本息: equal installments (annuity); interest falls and principal rises over time.</summary>
    EqualInstallment,
    /// <summary>等额本金: equal principal each period plus that period's interest; installments fall.</summary>
    EqualPrincipal,
    /// <summary>先息后本: interest each period, all principal with the last installment.</summary>
    InterestFirst,
    /// <summary>一次性还本付息: principal and all interest in one payment at maturity.</summary>
    Bullet,
}

/// <summary>How often installments fall due.</summary>
public enum PaymentFrequency
{
    /// <summary>Every calendar month, on the start date's day (clamped to the month's end).</summary>
    Monthly,
    /// <summary>Every 14 days.</summary>
    BiWeekly,
    /// <summary>Every 7 days.</summary>
    Weekly,
}

/// <summary>How interest for a period is counted.</summary>
public enum DayCountConvention
{
    /// <summary>30/360 (US bond basis): every full month is 30/360 of a year, so a monthly period is exactly 1/12.</summary>
    Thirty360,
    /// <summary>ACT/365 Fixed: actual days in the period over 365.</summary>
    Actual365Fixed,
}
