namespace JisuDai.App.Loans;

/// <summary>A loan's repayment lifecycle, as the use cases that change a loan tell it: it looks at the loan again now.</summary>
public interface IRepaymentLifecycle
{
    /// <summary>Says loan <paramref name="loanId"/> changed (a payment, a restructuring, a write-off). Only a wake-up: a failure is logged, and the change, already recorded, stands.</summary>
    Task LoanChangedAsync(string loanId, CancellationToken cancellationToken);
}
