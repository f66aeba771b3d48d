using System.CommandLine;
using JisuDai.Adapters.Security;
using JisuDai.App.Configuration;
using JisuDai.App.Security;
using Microsoft.Extensions.Configuration;

namespace JisuDai.Tools.Risk;

/// <summary>
/// <c>jisudai token --role R --subject S</c>: mints a bearer token for local use, signed with <c>Auth__SigningKey</c>
/// or, when that is unset, the development key the standalone host keeps in .data/keys.
/// </summary>
static class TokenCommand
{
    const string LocalKeyFile = ".data/keys/auth-signing-key";

    public static Command Create()
    {
        var role = new Option<string[]>("--role") { Description = $"Roles: {string.Join(", ", Roles.All)} (repeat for more than one).", Required = true, AllowMultipleArgumentsPerToken = true };
        var subject = new Option<string>("--subject") { Description = "The subject: the customer id for an applicant, a staff id otherwise.", Required = true };
        var hours = new Option<double>("--hours") { Description = "How long the token is valid: at most 12 hours.", DefaultValueFactory = _ => 8 };
        var command = new Command("token", "Mints a bearer token for the local host.") { role, subject, hours };
        command.SetAction(parse =>
        {
            string[] roles = parse.GetValue(role)!;
            var unknown = roles.Where(r => !Roles.All.Contains(r)).ToList();
            if (unknown.Count > 0 || parse.GetValue(hours) is <= 0 || TimeSpan.FromHours(parse.GetValue(hours)) > Tokens.MaxLifetime)
            {
                Console.Error.WriteLine(unknown.Count > 0 ? $"error: unknown role {string.Join(", ", unknown)}; roles: {string.Join(", ", Roles.All)}." : "error: --hours must be above 0 and at most 12 (the longest a token may last).");
                return 2;
            }

            var settings = new ConfigurationBuilder().AddEnvironmentVariables().Build();
            if (string.IsNullOrWhiteSpace(settings[AppSettings.AuthSigningKey]) && File.Exists(LocalKeyFile))
            {
                settings[AppSettings.AuthSigningKey] = File.ReadAllText(LocalKeyFile).Trim();
            }

            try
            {
                Tokens tokens = Tokens.FromConfiguration(settings);
                Console.Out.WriteLine(tokens.Mint(parse.GetValue(subject)!, roles, DateTimeOffset.UtcNow, TimeSpan.FromHours(parse.GetValue(hours))));
                return 0;
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message.Split(" (Parameter")[0]}");
                return 2;
            }
            catch (ConfigurationException e)
            {
                Console.Error.WriteLine($"error: {e.Message} Start the local host once (./run.sh) to make the development key, or set Auth__SigningKey.");
                return 2;
            }
        });
        return command;
    }
}
