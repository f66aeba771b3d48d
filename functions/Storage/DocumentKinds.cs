using JisuDai.Lending.Applications;
using JisuDai.Lending.Customers;
using JisuDai.Lending.Loans;
using JisuDai.Risk.Decisions;

namespace JisuDai.Functions.Storage;

/// <summary>
/// The stored document kinds and the table (Table storage) or container (Cosmos DB) each lives in.
/// Bicep creates the same Cosmos containers; a test keeps the two lists equal.
/// </summary>
public static class DocumentKinds
{
    public static IReadOnlyDictionary<Type, string> Collections { get; } = new Dictionary<Type, string>
    {
        [typeof(Customer)] = "customers",
        [typeof(LoanApplication)] = "applications",
        [typeof(Loan)] = "loans",
        [typeof(CreditDecision)] = "decisions",
    };

    public static string CollectionOf<T>() =>
        Collections.TryGetValue(typeof(T), out string? name)
            ? name
            : throw new InvalidOperationException($"{typeof(T).Name} is not a stored document kind.");
}
