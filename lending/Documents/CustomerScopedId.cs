namespace JisuDai.Lending.Documents;

/// <summary>
/// Ids of documents that live in a customer's partition but are looked up by id alone (applications, decisions,
/// loans): the customer follows the first '.', as in <c>3a33….cust-1</c> or <c>loan-3a33….cust-1</c>, so the id
/// names its own partition.
/// </summary>
public static class CustomerScopedId
{
    /// <summary>The id of <paramref name="uniquePart"/> (which holds no '.') in <paramref name="customerId"/>'s partition.</summary>
    public static string Compose(string uniquePart, string customerId) => $"{uniquePart}.{customerId}";

    /// <summary>The customer a scoped id belongs to, or null when it is not a valid scoped id.</summary>
    public static string? CustomerOf(string id)
    {
        int dot = id.IndexOf('.');
        if (dot < 1)
        {
            return null;
        }

        string customerId = id[(dot + 1)..];
        return DocumentKey.IsValid(id) && DocumentKey.IsValid(customerId) ? customerId : null;
    }
}
