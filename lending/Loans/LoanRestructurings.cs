using JisuDai.Lending.Ledger;
using JisuDai.Lending.Products;

namespace JisuDai.Lending.Loans;

/// <summary>Restructures loans in difficulty.</summary>
public static class LoanRestructurings
{
    /// <summary>
    /// <paramref name="loan"/> re-amortised under <paramref name="agreed"/>: within its product's rate and term bounds, on
    /// a loan with principal outstanding, dated no earlier than anything recorded. The loan becomes Restructured and
    /// LoanRestructured is raised (its amount the new principal). Errors change nothing.
    /// </summary>
    public static Outcome<Loan> Record(Loan loan, AgreedRestructuring agreed)
    {
        LoanProduct product = loan.ProductTerms();
        loan = LedgerSequence.Numbered(loan);
        agreed = agreed with { Sequence = LedgerSequence.Last(loan) + 1 };
        RestructuringRequest terms = agreed.Terms;
        var errors = new List<DomainError>();
        if (terms.AnnualRate < product.MinAnnualRate || terms.AnnualRate > product.MaxAnnualRate)
        {
            errors.Add(new("annualRate", "rate-within-product", $"The rate must be from {product.MinAnnualRate:P0} to {product.MaxAnnualRate:P0} a year, the product's bounds."));
        }

        if (terms.TermCount < 1 || terms.TermCount > product.MaxTerm)
        {
            errors.Add(new("termMonths", "term-within-product", $"The term must be 1 to {product.MaxTerm} months."));
        }

        if (!product.Methods.Contains(terms.Method))
        {
            errors.Add(new("method", "method-offered", $"The product repays by {string.Join(" or ", product.Methods)}."));
        }

        Outcome<Loan> moved = loan.Move(LoanEvent.Restructured);
        errors.AddRange(moved.Errors);
        if (errors.Count > 0)
        {
            return Outcome<Loan>.Failure(errors);
        }

        Outcome<LoanLedger> recorded = LoanSweep.LedgerOf(loan, product).Record(agreed.ToTransaction());
        if (!recorded.Succeeded)
        {
            return Outcome<Loan>.Failure(recorded.Errors);
        }

        decimal principal = recorded.Value!.PositionOn(terms.Date).PrincipalOutstanding;
        return Outcome<Loan>.Success((moved.Value! with { Restructurings = [.. loan.Restructurings ?? [], agreed] })
            .Raise(LoanEventType.LoanRestructured, terms.Date, principal, agreed.Reference));
    }
}
