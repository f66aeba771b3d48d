using System.Security.Cryptography;
using JisuDai.App.Configuration;
using JisuDai.Simulators.Identity;

namespace JisuDai.Standalone.Simulators;

/// <summary>
/// The real-name check of a local run: when no provider is configured, the FaceID simulator is started on a free
/// loopback port with a key pair made for this run, and the app is configured to reach it as it would the real service.
/// </summary>
static class LocalRealNameCheck
{
    public static async Task<RealNameSimulator?> StartIfUnconfiguredAsync(ConfigurationManager configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration[AppSettings.RealNameBaseUrl]))
        {
            return null;
        }

        string secretId = "AKIDlocal" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6));
        string secretKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        RealNameSimulator simulator = await RealNameSimulator.StartAsync("http://127.0.0.1:0", secretId, secretKey);
        configuration[AppSettings.RealNameBaseUrl] = simulator.Url + "/";
        configuration[AppSettings.RealNameSecretId] = secretId;
        configuration[AppSettings.RealNameSecretKey] = secretKey;
        return simulator;
    }
}
