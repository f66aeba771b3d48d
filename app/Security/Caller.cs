namespace JisuDai.App.Security;

/// <summary>The roles the API knows.</summary>
public static class Roles
{
    /// <summary>A borrower: sees only their own applications and loans; the token's subject is their customer id.</summary>
    public const string Applicant = "applicant";

    /// <summary>Works the manual-review queue and may call the risk endpoints.</summary>
    public const string Reviewer = "reviewer";

    /// <summary>Runs the platform: rules, blacklist, models, everything a reviewer may do.</summary>
    public const string Admin = "admin";

    /// <summary>Every role.</summary>
    public static IReadOnlyList<string> All { get; } = [Applicant, Reviewer, Admin];
}

/// <summary>Who is calling: the token's subject and roles, and the network address the call came from (when it came over HTTP).</summary>
public sealed record Caller(string Subject, IReadOnlySet<string> Roles, string? Address = null)
{
    /// <summary>True when the caller has <paramref name="role"/> (an admin has every role but applicant).</summary>
    public bool Is(string role) => Roles.Contains(role) || (role == Security.Roles.Reviewer && Roles.Contains(Security.Roles.Admin));

    /// <summary>True when the caller may see customer <paramref name="customerId"/>'s records: their own, or staff.</summary>
    public bool MaySee(string customerId) => Is(Security.Roles.Reviewer) || (Roles.Contains(Security.Roles.Applicant) && Subject == customerId);
}
