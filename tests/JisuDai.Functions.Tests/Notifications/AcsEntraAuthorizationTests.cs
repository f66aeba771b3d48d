using System.Net;
using Azure.Core;
using JisuDai.Adapters.Notifications.Sms;
using JisuDai.App.Notifications;
using JisuDai.App.Results;

namespace JisuDai.Functions.Tests.Notifications;

/// <summary>
/// The managed-identity path to Communication Services. Entra ID cannot run here, so the credential is a stand-in that
/// records the scope it was asked for; the request is captured as it would leave the machine.
/// </summary>
public sealed class AcsEntraAuthorizationTests
{
    sealed class RecordingCredential : TokenCredential
    {
        public List<string[]> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().Result;

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.Add(requestContext.Scopes);
            return ValueTask.FromResult(new AccessToken($"token-{Scopes.Count}", DateTimeOffset.UtcNow.AddHours(1)));
        }
    }

    sealed class Capture(HttpStatusCode first) : HttpMessageHandler
    {
        public List<(string? Authorization, string? Signature, Uri Uri)> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add((request.Headers.Authorization?.ToString(), request.Headers.TryGetValues("x-ms-content-sha256", out var h) ? h.Single() : null, request.RequestUri!));
            HttpStatusCode status = Requests.Count == 1 ? first : HttpStatusCode.Accepted;
            return Task.FromResult(new HttpResponseMessage(status)
            {
                Content = new StringContent("""{"value":[{"to":"+8613800138000","messageId":"m-1","httpStatusCode":202,"successful":true}]}"""),
            });
        }
    }

    [Fact]
    public async Task Each_attempt_carries_a_fresh_bearer_token_for_the_Communication_Services_scope_and_no_key_signature()
    {
        var credential = new RecordingCredential();
        var wire = new Capture(HttpStatusCode.ServiceUnavailable);
        var sender = new AcsSmsSender(AcsSmsSender.CreateClient(new AcsEntraAuthorization(credential), TimeProvider.System, wire, TimeSpan.FromMilliseconds(5)),
            new Uri("https://jisudai-acs.communication.azure.com/"), "+18005550100", TimeProvider.System);

        SmsSendResult result = await sender.SendAsync(new SmsMessage("+8613800138000", "hi", "k-1"), CancellationToken.None);

        Assert.True(result.Accepted);
        Assert.Equal(2, wire.Requests.Count);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], wire.Requests.Select(r => r.Authorization));
        Assert.All(wire.Requests, r => Assert.Null(r.Signature));
        Assert.Equal("https://jisudai-acs.communication.azure.com/sms?api-version=2021-03-07", wire.Requests[0].Uri.ToString());
        Assert.All(credential.Scopes, s => Assert.Equal([AcsEntraAuthorization.Scope], s));
    }
}
