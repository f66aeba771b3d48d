namespace JisuDai.Lending.Documents;

/// <summary>
/// A document owned by one customer. Every store partitions by <see cref="CustomerId"/>, so all of a
/// customer's applications, loans and decisions live together and can be read in one partition query.
/// </summary>
public interface ICustomerDocument
{
    /// <summary>The document's id, unique within its customer's partition.</summary>
    string Id { get; }

    /// <summary>The owning customer's id: the partition key.</summary>
    string CustomerId { get; }
}
