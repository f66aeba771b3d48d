namespace JisuDai.Risk.Bureau;

/// <summary>What a credit bureau knows of one person at one moment: recent inquiries, open loans, delinquency.</summary>
/// <param name="Bureau">Which bureau answered.</param>
/// <param name="ReportId">The bureau's id for the report.</param>
/// <param name="ReportedAt">When the bureau produced it.</param>
/// <param name="Found">False for a person the bureau has no file on (a thin file): then every count is zero.</param>
/// <param name="Inquiries1m">Lenders' inquiries in the last month (this one not included).</param>
/// <param name="Inquiries3m">In the last 3 months.</param>
/// <param name="Inquiries6m">In the last 6 months.</param>
/// <param name="OpenLoans">Loans open at other lenders.</param>
/// <param name="OpenBalance">What is owed on them, in yuan.</param>
/// <param name="MonthlyRepayments">What they take a month, in yuan.</param>
/// <param name="WorstDaysPastDue24m">The most days past due on any loan in 24 months.</param>
/// <param name="DelinquentAccounts24m">Loans 30 or more days past due at some point in 24 months.</param>
public sealed record CreditReport(
    string Bureau, string ReportId, DateTimeOffset ReportedAt, bool Found, int Inquiries1m, int Inquiries3m, int Inquiries6m,
    int OpenLoans, decimal OpenBalance, decimal MonthlyRepayments, int WorstDaysPastDue24m, int DelinquentAccounts24m);

/// <summary>How the bureau stood for one decision.</summary>
public static class BureauStatus
{
    /// <summary>No consent to ask: no inquiry was made.</summary>
    public const string None = "none";

    /// <summary>The bureau answered with a file on the person.</summary>
    public const string Found = "found";

    /// <summary>The bureau answered: no file on the person.</summary>
    public const string NotFound = "not-found";

    /// <summary>Consented, but the bureau did not answer (down, refused, not configured).</summary>
    public const string Unavailable = "unavailable";
}

/// <summary>The bureau's part of one decision: its status and, when it answered, the report.</summary>
/// <param name="Status">One of <see cref="BureauStatus"/>.</param>
/// <param name="Report">The report used, when the bureau answered (possibly an earlier one still fresh).</param>
/// <param name="InquiryId">The recorded inquiry this decision used.</param>
public sealed record BureauFindings(string Status, CreditReport? Report, string? InquiryId)
{
    /// <summary>No consent, no inquiry.</summary>
    public static BureauFindings None { get; } = new(BureauStatus.None, null, null);

    /// <summary>The number facts' names (<c>bureau.</c> + name), in a fixed order; <c>bureau.status</c> is text beside them.</summary>
    public static IReadOnlyList<string> NumberNames { get; } =
        ["inquiries1m", "inquiries3m", "inquiries6m", "openLoans", "openBalance", "monthlyRepayments", "worstDaysPastDue24m", "delinquentAccounts24m"];

    /// <summary>The numbers in the order of <see cref="NumberNames"/>; all null without a report.</summary>
    public double?[] Numbers() => Report is not { } r
        ? new double?[NumberNames.Count]
        : [r.Inquiries1m, r.Inquiries3m, r.Inquiries6m, r.OpenLoans, (double)r.OpenBalance, (double)r.MonthlyRepayments, r.WorstDaysPastDue24m, r.DelinquentAccounts24m];

    /// <summary>The findings as fields a feature spec can take as sources (<c>bureau.openLoans</c>, ...), known ones only.</summary>
    public IEnumerable<KeyValuePair<string, string?>> AsFields() => Scoring.SourceFields.Of("bureau", NumberNames, Numbers());
}
