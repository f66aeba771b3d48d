using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace JisuDai.Adapters.Configuration;

/// <summary>The managed identity behind identity-based connections, as the Functions host reads it.</summary>
public static class Credentials
{
    /// <summary>
    /// A user-assigned managed identity when the <paramref name="clientIdSetting"/> is set (what Bicep writes), otherwise
    /// the default chain (az login on a developer's machine).
    /// </summary>
    public static TokenCredential FromConfiguration(IConfiguration configuration, string clientIdSetting)
    {
        string? clientId = configuration[clientIdSetting];
        return string.IsNullOrWhiteSpace(clientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
    }
}
