using JisuDai.Lending.Documents;

namespace JisuDai.Lending.Customers;

/// <summary>
/// A borrower. The customer is its own partition, so <see cref="CustomerId"/> equals <see cref="Id"/>.
/// Identity fields (name, ID number, phone) arrive with application intake, encrypted at rest.
/// </summary>
/// <param name="Id">The customer id.</param>
/// <param name="RegisteredAt">When the customer was first seen.</param>
public sealed record Customer(string Id, DateTimeOffset RegisteredAt) : ICustomerDocument
{
    /// <inheritdoc />
    public string CustomerId => Id;
}
