namespace JisuDai.App.Identity;

/// <summary>The four elements a real-name check holds together: the person's name and resident ID number, their mobile number and a bank card in their name.</summary>
public sealed record RealNameClaim(string Name, string IdNumber, string Phone, string BankCard);

/// <summary>What the check found.</summary>
/// <param name="Passed">True when the card's bank holds all four together.</param>
/// <param name="Code">The provider's result code ("0" passed).</param>
/// <param name="Description">The provider's words for it.</param>
/// <param name="Reference">The provider's request id.</param>
/// <param name="Field">When it did not pass because one element is malformed or unknown: which (name, idNumber, phone, bankAccount).</param>
public sealed record RealNameResult(bool Passed, string Code, string Description, string Reference, string? Field = null);

/// <summary>A four-element real-name check (Tencent Cloud FaceID BankCard4EVerification in production; a local simulator by default).</summary>
public interface IRealNameCheck
{
    /// <summary>Checks <paramref name="claim"/>; throws <see cref="RealNameUnavailableException"/> when the provider cannot answer.</summary>
    Task<RealNameResult> CheckAsync(RealNameClaim claim, CancellationToken cancellationToken);
}

/// <summary>The check could not be made now (the provider is down, busy or refused our credentials); nothing was found about the person.</summary>
public sealed class RealNameUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
