using System.Net.Http.Headers;
using Azure.Core;

namespace JisuDai.Adapters.Notifications.Sms;

/// <summary>
/// Authorizes Communication Services requests with a Microsoft Entra token (the app's managed identity in Azure), so
/// no access key exists in configuration. Tokens are cached by the credential and renewed before they expire.
/// </summary>
public sealed class AcsEntraAuthorization(TokenCredential credential) : DelegatingHandler
{
    /// <summary>The scope Communication Services accepts.</summary>
    public const string Scope = "https://communication.azure.com//.default";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        AccessToken token = await credential.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        return await base.SendAsync(request, cancellationToken);
    }
}
