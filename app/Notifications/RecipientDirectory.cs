using JisuDai.App.Applications;
using JisuDai.App.Security;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Documents;

namespace JisuDai.App.Notifications;

/// <summary>
/// Resolves a notification's recipient at send time: an E.164 number is itself; <c>application:{id}</c> is the phone
/// sealed in that application. Lifecycle steps queue the reference, so no phone number sits in the queue.
/// </summary>
public sealed class RecipientDirectory(IDocumentStore<LoanApplication> applications, PersonalData personalData)
{
    public const string ApplicationPrefix = "application:";

    /// <summary>The reference that names an application's applicant.</summary>
    public static string OfApplication(string applicationId) => ApplicationPrefix + applicationId;

    /// <summary>The phone number to send to; <see cref="InvalidDataException"/> when the reference names nothing.</summary>
    public async Task<string> PhoneOfAsync(string recipient, CancellationToken cancellationToken)
    {
        if (!recipient.StartsWith(ApplicationPrefix, StringComparison.Ordinal))
        {
            return recipient;
        }

        string id = recipient[ApplicationPrefix.Length..];
        LoanApplication application = CustomerScopedId.CustomerOf(id) is { } customerId && await applications.FindAsync(customerId, id, cancellationToken) is { } found
            ? found.Document
            : throw new InvalidDataException($"Recipient {recipient} names no application.");
        return (await personalData.OpenAsync<ApplicantIdentitySealed>(application.ProtectedIdentity, application.Id, cancellationToken)).Phone;
    }
}
