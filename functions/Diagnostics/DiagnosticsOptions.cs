using System.Net;
using JisuDai.App.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace JisuDai.Functions.Diagnostics;

/// <summary>
/// The diagnostics endpoints (<c>/api/diagnostics/*</c>, <c>/api/dev/*</c>) start orchestrations and show what the
/// local SMS sink recorded, so they answer only where <c>JisuDai:Diagnostics:Enabled</c> is true (the standalone
/// host's defaults; the Bicep never sets it) and only to a caller on this machine: a connection from a loopback
/// address that no proxy forwarded. Anywhere else they are a 404, as if they did not exist.
/// </summary>
public sealed record DiagnosticsOptions(bool Enabled)
{
    public const string Setting = AppSettings.DiagnosticsEnabled;

    public static DiagnosticsOptions FromConfiguration(IConfiguration configuration) =>
        new(bool.TryParse(configuration[Setting], out bool enabled) && enabled);

    /// <summary>Whether <paramref name="request"/> may reach a diagnostics endpoint here.</summary>
    public bool Allows(HttpRequest request) =>
        Enabled
        && request.HttpContext.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address)
        // A reverse proxy on this machine connects from loopback on behalf of someone elsewhere.
        && !request.Headers.ContainsKey("X-Forwarded-For") && !request.Headers.ContainsKey("Forwarded");

    /// <summary>Why a refused request got a 404.</summary>
    public string Refusal => Enabled
        ? "Diagnostics answer only to callers on this machine (a loopback connection, not forwarded)."
        : $"Diagnostics are disabled here (set {Setting}=true to enable them).";
}
