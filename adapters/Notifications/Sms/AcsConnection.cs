using JisuDai.App.Configuration;

namespace JisuDai.Adapters.Notifications.Sms;

/// <summary>
/// An Azure Communication Services connection string, <c>endpoint=https://…/;accesskey=…</c>. The access key
/// is a secret: it is kept as bytes for signing and never printed.
/// </summary>
public sealed class AcsConnection
{
    AcsConnection(Uri endpoint, byte[] key)
    {
        Endpoint = endpoint;
        Key = key;
    }

    public Uri Endpoint { get; }

    internal byte[] Key { get; }

    public static AcsConnection Parse(string connectionString, string setting)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        if (!parts.TryGetValue("endpoint", out string? endpoint) || !Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("https" or "http"))
        {
            throw new ConfigurationException(setting, "needs endpoint=https://<resource>.communication.azure.com/.");
        }

        try
        {
            return new AcsConnection(uri, Convert.FromBase64String(parts.GetValueOrDefault("accesskey") ?? ""));
        }
        catch (FormatException)
        {
            throw new ConfigurationException(setting, "needs accesskey=<base64 key> (the value is not shown).");
        }
    }

    public override string ToString() => $"ACS at {Endpoint.Host}";
}
