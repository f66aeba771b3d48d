using System.Net;
using JisuDai.App.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JisuDai.Functions.Http;

/// <summary>
/// Where a request came from, never what its body says. With <c>JisuDai:Network:ForwardedHops</c> = 0 (the default,
/// and the standalone host's) that is the connection's address. Behind N proxies that each append the address they
/// were called from to <c>X-Forwarded-For</c> (in Azure: API Management, then App Service's front end), it is the Nth
/// entry from the right: the one the outermost trusted proxy wrote. Entries further left came from the caller and are
/// not believed. A request with fewer entries than hops did not come through the proxies, and its connection address is used.
/// </summary>
public sealed record ClientAddress(int ForwardedHops)
{
    /// <summary>The address of <paramref name="request"/>'s caller as this host is configured to find it.</summary>
    public static string? Of(HttpRequest request) =>
        (request.HttpContext.RequestServices?.GetService<ClientAddress>() ?? Direct).Find(request);

    static readonly ClientAddress Direct = new(0);

    /// <summary>The setting's value, 0 when absent; a value that is not a whole number from 0 to 10 stops the host at start.</summary>
    public static ClientAddress FromConfiguration(IConfiguration configuration) =>
        configuration[AppSettings.ForwardedHops] is not { Length: > 0 } text ? Direct
        : int.TryParse(text, out int hops) && hops is >= 0 and <= 10 ? new ClientAddress(hops)
        : throw new ConfigurationException(AppSettings.ForwardedHops, $"must be a whole number from 0 to 10 (it is '{text}').");

    string? Find(HttpRequest request)
    {
        string? connection = request.HttpContext.Connection.RemoteIpAddress?.ToString();
        if (ForwardedHops == 0)
        {
            return connection;
        }

        string[] entries = request.Headers["X-Forwarded-For"].SelectMany(h => (h ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToArray();
        return entries.Length >= ForwardedHops && Address(entries[^ForwardedHops]) is { } forwarded ? forwarded : connection;
    }

    // App Service writes "address:port"; IPv6 may come bracketed.
    static string? Address(string entry) =>
        IPAddress.TryParse(entry, out IPAddress? plain) ? plain.ToString()
        : IPEndPoint.TryParse(entry, out IPEndPoint? endpoint) ? endpoint.Address.ToString()
        : null;
}
