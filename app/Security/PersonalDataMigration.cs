using JisuDai.Lending.Applications;
using JisuDai.Lending.Documents;

namespace JisuDai.App.Security;

/// <summary>What a migration did: applications looked at, resealed, and already sealed under their owner's data key.</summary>
public sealed record MigrationReport(int Examined, int Resealed, int AlreadyEnveloped);

/// <summary>
/// Reseals applications sealed before envelope encryption (<c>v1.</c>, under the one <c>Security:PersonalDataKey</c>)
/// under their customer's data key, so that key's rotation and the customer's erasure reach them. Each application is
/// replaced under its ETag and read again when it changed meanwhile; safe to run again. Blacklist entries are resealed
/// as they are read; pending four-eyes proposals keep their v1 payload (resealing would change what the approver
/// signs off) and open under the old key until they are decided.
/// </summary>
public sealed class PersonalDataMigration(IDocumentStore<LoanApplication> applications, PersonalData personalData)
{
    public async Task<MigrationReport> ResealApplicationsAsync(IProgress<int>? progress, CancellationToken cancellationToken)
    {
        int examined = 0, resealed = 0, already = 0;
        await foreach (Versioned<LoanApplication> listed in applications.ScanAsync(cancellationToken))
        {
            examined++;
            Versioned<LoanApplication>? current = listed;
            while (current is { } c && PersonalData.IsLegacy(c.Document.ProtectedIdentity))
            {
                LoanApplication a = c.Document;
                Applications.ApplicantIdentitySealed identity;
                try
                {
                    identity = await personalData.OpenAsync<Applications.ApplicantIdentitySealed>(a.ProtectedIdentity, a.Id, cancellationToken);
                }
                catch (System.Security.Cryptography.CryptographicException e)
                {
                    throw new KeyWrappingException($"Application {a.Id} does not open under this Security:PersonalDataKey; give the key it was sealed with.", e);
                }

                string again = await personalData.SealAsync(identity, a.CustomerId, a.Id, cancellationToken);
                try
                {
                    await applications.ReplaceAsync(a with { ProtectedIdentity = again }, c.ETag, cancellationToken);
                    resealed++;
                    current = null;
                }
                catch (ConcurrencyConflictException)
                {
                    current = await applications.FindAsync(a.CustomerId, a.Id, cancellationToken);
                }
            }

            if (current is not null)
            {
                already++;
            }

            progress?.Report(examined);
        }

        return new MigrationReport(examined, resealed, already);
    }
}
