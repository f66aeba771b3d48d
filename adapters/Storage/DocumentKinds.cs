using JisuDai.Lending.Applications;
using JisuDai.Lending.Customers;
using JisuDai.Lending.Loans;
using JisuDai.Risk.Decisions;

namespace JisuDai.Adapters.Storage;

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
        [typeof(App.Staff.StaffRequest)] = "staffrequests",
        [typeof(Lending.Payments.Payment)] = "payments",
        [typeof(Lending.Payments.DebitAgreement)] = "debitagreements",
        [typeof(App.Identity.PhoneSignIn)] = "phonesignins",
        [typeof(App.Identity.RefreshFamily)] = "refreshfamilies",
        [typeof(App.Identity.ResidentIdentity)] = "residentidentities",
        [typeof(App.Staff.StaffIdentity)] = "staffidentities",
        [typeof(App.Files.CustomerFile)] = "files",
        [typeof(App.Bureau.BureauInquiry)] = "bureauinquiries",
        [typeof(JisuDai.Risk.Outcomes.LoanOutcome)] = "outcomes",
    };

    /// <summary>
    /// How many tables a kind is spread over in Table storage. Loans are: the overdue sweep reads every loan each night
    /// and writes many, and spread over tables it reads them all at once (see <see cref="TableDocumentStore{T}"/>).
    /// </summary>
    public static int TablesOf<T>() => typeof(T) == typeof(Loan) ? LoanTables : 1;

    /// <summary>The number of loan tables, <c>loans00</c> to <c>loans15</c>.</summary>
    public const int LoanTables = 16;

    public static string CollectionOf<T>() =>
        Collections.TryGetValue(typeof(T), out string? name)
            ? name
            : throw new InvalidOperationException($"{typeof(T).Name} is not a stored document kind.");
}
