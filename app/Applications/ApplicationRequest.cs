using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using JisuDai.Lending;
using JisuDai.Lending.Customers;
using JisuDai.Lending.Products;

namespace JisuDai.App.Applications;

/// <summary>What a borrower submits (POST /api/applications). Every field is checked; personal data is sealed at rest.</summary>
public sealed record ApplicationRequest(
    string? Name,
    string? IdNumber,
    string? Phone,
    string? BankAccount,
    decimal? MonthlyIncome,
    decimal? EmploymentYears,
    string? Housing,
    decimal? MonthlyDebtPayments,
    int? ExistingLoans,
    string? ProductCode,
    decimal? Amount,
    int? TermMonths,
    string? Purpose,
    string? DeviceId,
    decimal? CheckingBalance = null,
    decimal? SavingsBalance = null,
    string? CreditHistory = null,
    bool? BureauConsent = null)
{
    static readonly string[] CreditHistories = ["none", "all-paid-here", "current", "delayed", "critical"];
    static readonly string[] Housings = ["rent", "own", "free"];
    static readonly string[] Purposes = ["new-car", "used-car", "furniture", "electronics", "appliance", "repairs", "education", "vacation", "training", "business", "other"];

    /// <summary>Every field at fault, named as in the request; the amount and term are held to the product's terms in <paramref name="offered"/>.</summary>
    public IReadOnlyList<DomainError> Check(DateOnly today, IReadOnlyDictionary<string, LoanProduct> offered)
    {
        var errors = new List<DomainError>();
        void Fail(string field, string message) => errors.Add(new DomainError(field, "invalid", message));

        if (string.IsNullOrWhiteSpace(Name) || Name.Trim().Length > 50)
        {
            Fail("name", "name is required, at most 50 characters.");
        }
        else if (Name.Trim().Normalize(System.Text.NormalizationForm.FormKC) != Name.Trim())
        {
            Fail("name", "name must be written in its normal form (no full-width letters or compatibility characters).");
        }

        if (IdNumber is null || !ResidentId.IsValid(IdNumber))
        {
            Fail("idNumber", "idNumber must be an 18-character resident ID number with a valid check digit.");
        }
        else if (ResidentId.AgeOn(IdNumber, today) is < 18 or > 75)
        {
            Fail("idNumber", "the applicant must be from 18 to 75 years old.");
        }

        if (!MobileNumber.IsValid(Phone))
        {
            Fail("phone", "phone must be a mainland mobile number as +861XXXXXXXXXX.");
        }

        if (!BankCard.IsValid(BankAccount))
        {
            Fail("bankAccount", "bankAccount must be a card number: 12 to 19 digits ending in its Luhn check digit.");
        }

        if (MonthlyIncome is not (>= 0 and <= 10_000_000))
        {
            Fail("monthlyIncome", "monthlyIncome is required, in yuan, from 0 to 10,000,000.");
        }

        if (EmploymentYears is not (>= 0 and <= 60))
        {
            Fail("employmentYears", "employmentYears is required, from 0 to 60.");
        }

        if (Housing is null || !Housings.Contains(Housing))
        {
            Fail("housing", $"housing must be one of {string.Join(", ", Housings)}.");
        }

        if (MonthlyDebtPayments is not (>= 0 and <= 10_000_000))
        {
            Fail("monthlyDebtPayments", "monthlyDebtPayments is required (0 when none), in yuan.");
        }

        if (ExistingLoans is not (>= 0 and <= 50))
        {
            Fail("existingLoans", "existingLoans is required (0 when none), at most 50.");
        }

        if (Purpose is null || !Purposes.Contains(Purpose))
        {
            Fail("purpose", $"purpose must be one of {string.Join(", ", Purposes)}.");
        }

        if (CheckingBalance is < -10_000_000 or > 1_000_000_000)
        {
            Fail("checkingBalance", "checkingBalance, when given, is the current-account balance in yuan.");
        }

        if (SavingsBalance is < 0 or > 1_000_000_000)
        {
            Fail("savingsBalance", "savingsBalance, when given, is 0 or more yuan.");
        }

        if (CreditHistory is not null && !CreditHistories.Contains(CreditHistory))
        {
            Fail("creditHistory", $"creditHistory, when given, is one of {string.Join(", ", CreditHistories)}.");
        }

        if (DeviceId is { Length: > 128 })
        {
            Fail("deviceId", "deviceId is at most 128 characters.");
        }

        if (ProductCode is null || !offered.TryGetValue(ProductCode, out LoanProduct? product))
        {
            Fail("productCode", $"productCode must be a product offered now: {string.Join(", ", offered.Keys.Order(StringComparer.Ordinal))}.");
            return errors;
        }

        if (Amount is not { } amount || amount < product.MinAmount || amount > product.MaxAmount || decimal.Round(amount, 2) != amount)
        {
            Fail("amount", $"amount must be from {product.MinAmount} to {product.MaxAmount} yuan, to the fen.");
        }

        if (TermMonths is not { } term || term < product.MinTerm || term > product.MaxTerm)
        {
            Fail("termMonths", $"termMonths must be from {product.MinTerm} to {product.MaxTerm}.");
        }

        return errors;
    }

    /// <summary>The application's non-personal fields, as the decision reads them.</summary>
    public Dictionary<string, string?> Fields(DateOnly today) => new()
    {
        ["amount"] = Amount!.Value.ToString(CultureInfo.InvariantCulture),
        ["termMonths"] = TermMonths!.Value.ToString(CultureInfo.InvariantCulture),
        ["age"] = ResidentId.AgeOn(IdNumber!, today).ToString(CultureInfo.InvariantCulture),
        ["monthlyIncome"] = MonthlyIncome!.Value.ToString(CultureInfo.InvariantCulture),
        ["monthlyDebtPayments"] = MonthlyDebtPayments!.Value.ToString(CultureInfo.InvariantCulture),
        ["employmentYears"] = EmploymentYears!.Value.ToString(CultureInfo.InvariantCulture),
        ["housing"] = Housing,
        ["purpose"] = Purpose,
        ["existingLoans"] = ExistingLoans!.Value.ToString(CultureInfo.InvariantCulture),
        ["checkingBalance"] = CheckingBalance?.ToString(CultureInfo.InvariantCulture),
        ["savingsBalance"] = SavingsBalance?.ToString(CultureInfo.InvariantCulture),
        ["creditHistory"] = CreditHistory,
    };

    /// <summary>A keyed digest of the request as sent (it holds personal data), to recognise a resubmission under the same key.</summary>
    public string Hash(Security.PersonalData keyed) => keyed.Digest("application-request", JsonSerializer.SerializeToUtf8Bytes(this));
}

/// <summary>The applicant's personal data, sealed in the application document.</summary>
public sealed record ApplicantIdentitySealed(string Name, string IdNumber, string Phone, string BankAccount, string? DeviceId, string? Ip);
