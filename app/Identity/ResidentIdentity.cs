using JisuDai.Lending.Documents;

namespace JisuDai.App.Identity;

/// <summary>
/// The one customer a person is: keyed by the keyed fingerprint of their resident ID number and written once, so a
/// second sign-up with the same ID number reaches the same customer (and their history) instead of starting clean.
/// </summary>
/// <param name="Id">The ID number's fingerprint (its own partition).</param>
/// <param name="Customer">The customer the person is.</param>
/// <param name="At">When the person was first verified.</param>
public sealed record ResidentIdentity(string Id, string Customer, DateTimeOffset At) : ICustomerDocument
{
    /// <inheritdoc />
    public string CustomerId => Id;
}
