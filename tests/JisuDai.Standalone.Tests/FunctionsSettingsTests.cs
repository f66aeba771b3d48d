using System.Text.Json;
using JisuDai.Adapters.Configuration;
using JisuDai.Adapters.Security;
using JisuDai.App.Security;
using JisuDai.Functions;
using JisuDai.Functions.Composition;
using JisuDai.Standalone.Functions;
using JisuDai.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JisuDai.Standalone.Tests;

/// <summary>
/// Running under Core Tools (<c>func start</c>): the standalone host writes a local.settings.json with every setting the
/// Functions app resolves at start, pointing at the storage and simulators it keeps running, and the Functions app's
/// own composition starts on exactly those values. The example file lists the same names.
/// </summary>
public sealed class FunctionsSettingsTests
{
    [Fact]
    public async Task The_written_settings_start_the_Functions_app_against_running_storage_and_simulators_and_the_example_names_them_all()
    {
        string data = Directory.CreateTempSubdirectory("jisudai-func-").FullName;
        string file = Path.Combine(data, "local.settings.json");
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string>
        {
            ["JisuDai__DataDirectory"] = data, ["JisuDai__FunctionsSettings"] = file,
        });
        for (int i = 0; i < 600 && !host.Output.Contains("Wrote the settings", StringComparison.Ordinal); i++)
        {
            Assert.False(host.HasExited, host.Output);
            await Task.Delay(100);
        }

        Assert.True(File.Exists(file), host.Output);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)); // it holds the development keys
        }
        Dictionary<string, string> values = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement.GetProperty("Values")
            .EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

        using JsonDocument example = JsonDocument.Parse(await File.ReadAllTextAsync(Repository.Path("functions", "local.settings.json.example")));
        Assert.Equal(values.Keys.Order(StringComparer.Ordinal), example.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        // Every timer's schedule setting is there (func start fails on an unresolved %setting%).
        foreach (TimerFunction timer in FunctionCatalog.Load().Timers)
        {
            Assert.Contains(timer.Schedule.Trim('%'), values.Keys);
        }

        // The Functions app's composition, on those values alone, starts and reaches storage and the Key Vault simulator.
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(p => KeyValuePair.Create(p.Key.Replace("__", ":", StringComparison.Ordinal), (string?)p.Value))).Build();
        await using ServiceProvider services = new ServiceCollection().AddLogging().AddJisuDaiFunctions(configuration).BuildServiceProvider();
        services.GetRequiredService<Tokens>();
        KeyVaultKeys.RequireConfigured(services);
        await StorageAccount.FromConfiguration(configuration).VerifyReachableAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        PersonalData personalData = services.GetRequiredService<PersonalData>();
        string sealedValue = await personalData.SealAsync("Zhou Yi", "func-check", "rec-1", CancellationToken.None);
        Assert.Equal("Zhou Yi", await personalData.OpenAsync<string>(sealedValue, "rec-1", CancellationToken.None));
    }
}
