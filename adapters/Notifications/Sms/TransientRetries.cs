using System.Net;

namespace JisuDai.Adapters.Notifications.Sms;

/// <summary>
/// Retries a request the provider could not take just now: 429 and 5xx, and connection failures. Waits
/// what Retry-After asks (seconds or a date), otherwise exponential backoff from the base delay (1 s by
/// default); gives up after <see cref="MaxAttempts"/> attempts and returns the last response.
/// </summary>
public sealed class TransientRetries(TimeProvider clock, TimeSpan? baseDelay = null) : DelegatingHandler
{
    public const int MaxAttempts = 4;
    static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(30);
    readonly TimeSpan firstDelay = baseDelay ?? TimeSpan.FromSeconds(1);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            HttpResponseMessage? response = null;
            try
            {
                response = await base.SendAsync(await CloneAsync(request, cancellationToken), cancellationToken);
                if (!IsTransient(response.StatusCode) || attempt == MaxAttempts)
                {
                    return response;
                }
            }
            catch (HttpRequestException) when (attempt < MaxAttempts)
            {
            }

            TimeSpan wait = RetryAfter(response) ?? firstDelay * Math.Pow(2, attempt - 1);
            response?.Dispose();
            await Task.Delay(wait > LongestWait ? LongestWait : wait, clock, cancellationToken);
        }
    }

    static bool IsTransient(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    TimeSpan? RetryAfter(HttpResponseMessage? response) => response?.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - clock.GetUtcNow() is { Ticks: > 0 } until ? until : TimeSpan.Zero,
        _ => null,
    };

    // A request message can be sent once; each attempt sends a copy (the signer re-signs it).
    static async Task<HttpRequestMessage> CloneAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri);
        if (request.Content is not null)
        {
            var content = new ByteArrayContent(await request.Content.ReadAsByteArrayAsync(cancellationToken));
            foreach (var header in request.Content.Headers)
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            copy.Content = content;
        }

        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return copy;
    }
}
