using JisuDai.Lending.Products;

namespace JisuDai.Lending.Applications;

/// <summary>
/// The borrower's consent given with an acceptance: to the key-facts statement, the loan contract and (when signed with
/// it) the debit agreement, each as shown (text and digest), when, and from which device. Kept on the application and
/// copied to the loan at booking, so the loan holds what its borrower agreed to.
/// </summary>
/// <param name="At">When the borrower accepted.</param>
/// <param name="Device">The device the borrower accepted on, as their app named it.</param>
/// <param name="Documents">The documents consented to, as they were shown.</param>
public sealed record AcceptanceConsent(DateTimeOffset At, string Device, IReadOnlyList<Disclosure> Documents);
