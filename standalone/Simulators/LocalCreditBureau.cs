using System.Security.Cryptography;
using JisuDai.App.Configuration;
using JisuDai.Simulators.Bureau;

namespace JisuDai.Standalone.Simulators;

/// <summary>
/// The credit bureau of a local run: when none is configured, the bureau simulator is started on a free loopback port
/// with a member id and secret made for this run, and the app is configured to reach it as it would a real bureau.
/// </summary>
static class LocalCreditBureau
{
    public static async Task<CreditBureauSimulator?> StartIfUnconfiguredAsync(ConfigurationManager configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration[AppSettings.BureauBaseUrl]))
        {
            return null;
        }

        string memberId = "local-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        string secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        CreditBureauSimulator simulator = await CreditBureauSimulator.StartAsync("http://127.0.0.1:0", memberId, secret);
        configuration[AppSettings.BureauBaseUrl] = simulator.Url + "/";
        configuration[AppSettings.BureauMemberId] = memberId;
        configuration[AppSettings.BureauSecretKey] = secret;
        return simulator;
    }
}
