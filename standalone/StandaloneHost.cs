using System.Runtime.InteropServices;
using DurableTask.AzureStorage;
using JisuDai.Adapters.Configuration;
using JisuDai.App.Configuration;
using JisuDai.Functions;
using JisuDai.Functions.Composition;
using JisuDai.Orchestrations;
using JisuDai.Simulators.Payments;
using JisuDai.Standalone.Azurite;
using JisuDai.Standalone.Durable;
using JisuDai.Standalone.Functions;
using JisuDai.Standalone.Simulators;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Scalar.AspNetCore;

namespace JisuDai.Standalone;

/// <summary>
/// The app as a plain ASP.NET Core process: the Functions app's HTTP handlers on their routes, its
/// orchestrations on the Azure Storage task hub, its timers and queue triggers, all from the same
/// registration method. With no configuration it brings its own storage (Azurite).
/// </summary>
public static class StandaloneHost
{
    public const string DefaultUrl = "http://127.0.0.1:7071";

    public static async Task<int> RunAsync(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        Task<EmbeddedAzurite?>? storageStarting = null;
        PaymentSimulator? payments = null;
        JisuDai.Simulators.Identity.RealNameSimulator? realName = null;
        JisuDai.Simulators.Bureau.CreditBureauSimulator? creditBureau = null;
        JisuDai.Simulators.KeyVault.KeyVaultSimulator? keyVault = null;
        try
        {
            HostJson hostJson = HostJson.Load(Path.Combine(AppContext.BaseDirectory, "host.json"), builder.Configuration);
            // Azurite takes about two seconds to load (Node.js reading its modules); the simulators start meanwhile. It
            // reads the configuration only before its first await, and its connection string is set once it answers, so
            // the simulators' own settings are written by this thread alone.
            storageStarting = StartEmbeddedStorageIfUnconfiguredAsync(builder.Configuration);
            DevelopmentKeys.ApplyIfUnconfigured(builder.Configuration, DataDirectory(builder.Configuration));
            keyVault = await LocalKeyVault.StartIfUnconfiguredAsync(builder.Configuration, DataDirectory(builder.Configuration));
            payments = await LocalPaymentProvider.StartIfUnconfiguredAsync(builder.Configuration, DataDirectory(builder.Configuration), hostJson.RoutePrefix);
            realName = await LocalRealNameCheck.StartIfUnconfiguredAsync(builder.Configuration);
            creditBureau = await LocalCreditBureau.StartIfUnconfiguredAsync(builder.Configuration);
            EmbeddedAzurite? azurite = await storageStarting;
            if (azurite is not null)
            {
                builder.Configuration[StorageAccount.Setting] = azurite.ConnectionString;
            }

            StorageAccount storage = StorageAccount.FromConfiguration(builder.Configuration);
            int timeoutSeconds = int.TryParse(builder.Configuration[StandaloneSettings.StorageTimeoutSeconds], out int t) && t > 0 ? t : 10;
            await storage.VerifyReachableAsync(TimeSpan.FromSeconds(timeoutSeconds), CancellationToken.None);

            if (builder.Configuration[FunctionsSettings.Setting] is { Length: > 0 } settingsFile)
            {
                FunctionsSettings.Write(settingsFile, builder.Configuration);
                await Console.Out.WriteLineAsync($"Wrote the settings for `func start` to {Path.GetFullPath(settingsFile)}; storage ({(azurite is null ? storage.Description : $"embedded Azurite, pid {azurite.ProcessId}")}) and the simulators run until Ctrl-C.");
                var stopped = new TaskCompletionSource();
                using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stopped.TrySetResult(); });
                using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopped.TrySetResult(); });
                await stopped.Task;
                return 0;
            }

            ConfigureServices(builder, hostJson);
            WebApplication app = builder.Build();
            app.Services.GetRequiredService<JisuDai.Adapters.Security.Tokens>();
            app.Services.GetRequiredService<JisuDai.App.Security.PersonalData>();
            JisuDai.Adapters.Security.KeyVaultKeys.RequireConfigured(app.Services);
            HttpRoutes.Map(app, app.Services.GetRequiredService<FunctionCatalog>(), hostJson.RoutePrefix);
            // The console is a function under the route prefix in both hosts; here it also answers at the short address.
            app.MapGet("/console", () => Results.Redirect($"/{hostJson.RoutePrefix}/console/"));
            // The API's contract to try out (Scalar, its script served from the package, not a CDN); Azure has the document only.
            app.MapScalarApiReference("/api-reference", o => o.AddDocument("jisudai", "JisuDai API", $"/{hostJson.RoutePrefix}/openapi.json").DisableDefaultFonts());
            ILogger logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("JisuDai.Standalone");
            app.Lifetime.ApplicationStarted.Register(() => logger.LogInformation(
                "JisuDai is listening on {Urls} (storage: {Storage}; payments: {Payments})", string.Join(", ", app.Urls),
                azurite is null ? storage.Description : $"embedded Azurite, pid {azurite.ProcessId}",
                payments is null ? builder.Configuration[AppSettings.PaymentsBaseUrl] : $"the payment simulator at {payments.Url}"));
            await app.RunAsync();
            return 0;
        }
        catch (Exception e) when (e is ConfigurationException or AzuriteStartException)
        {
            await Console.Error.WriteLineAsync($"JisuDai cannot start. {e.Message}");
            return 2;
        }
        finally
        {
            if (keyVault is not null)
            {
                await keyVault.DisposeAsync();
            }

            if (creditBureau is not null)
            {
                await creditBureau.DisposeAsync();
            }

            if (realName is not null)
            {
                await realName.DisposeAsync();
            }

            if (payments is not null)
            {
                await payments.DisposeAsync();
            }

            // Stopped once started, also when a simulator failed while it was starting (if Azurite itself failed, its
            // error is the one already on its way out, and nothing needs stopping).
            if (storageStarting is not null && await storageStarting.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default) is { } azurite)
            {
                await azurite.DisposeAsync();
            }
        }
    }

    static async Task<EmbeddedAzurite?> StartEmbeddedStorageIfUnconfiguredAsync(ConfigurationManager configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration[StorageAccount.Setting]) ||
            !string.IsNullOrWhiteSpace(configuration[AppSettings.StorageAccountName]))
        {
            return null;
        }

        string? root = StandaloneSettings.FindRepositoryRoot();
        string azuriteDirectory = configuration[StandaloneSettings.AzuriteDirectory]
            ?? (root is null ? null : Path.Combine(root, "tools", "azurite"))
            ?? throw new ConfigurationException(StandaloneSettings.AzuriteDirectory, "cannot find tools/azurite; set it, or set AzureWebJobsStorage.");
        string dataDirectory = DataDirectory(configuration);

        return await EmbeddedAzurite.StartAsync(azuriteDirectory, Path.Combine(dataDirectory, "azurite"), TimeSpan.FromSeconds(30), CancellationToken.None);
    }

    static string DataDirectory(IConfiguration configuration) =>
        configuration[StandaloneSettings.DataDirectory] ?? Path.Combine(StandaloneSettings.FindRepositoryRoot() ?? Directory.GetCurrentDirectory(), ".data");

    static void ConfigureServices(WebApplicationBuilder builder, HostJson hostJson)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(30);
            o.ServicesStartConcurrently = true; // the durable worker, the timers and the queue pump each wait on storage at start
        });
        builder.Services.AddMvcCore();
        builder.Services.AddJisuDaiFunctions(builder.Configuration);

        FunctionCatalog catalog = FunctionCatalog.Load();
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton(hostJson.Queues);
        builder.Services.AddSingleton<TimerScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TimerScheduler>());
        builder.Services.AddHostedService<QueuePump>();

        AddDurableTask(builder, hostJson);
    }

    static void AddDurableTask(WebApplicationBuilder builder, HostJson hostJson)
    {
        string connectionString = builder.Configuration[StorageAccount.Setting]!;
        builder.Services.AddSingleton(sp => new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = hostJson.HubName,
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            MaxQueuePollingInterval = hostJson.MaxQueuePollingInterval,
            ControlQueueVisibilityTimeout = hostJson.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = hostJson.WorkItemQueueVisibilityTimeout,
            LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
            // Stable across restarts, as a Functions instance's id is: a host restarted after a crash finds the
            // partitions already its own instead of waiting for the dead process's leases to expire.
            WorkerId = $"standalone-{Environment.MachineName}",
            UseTablePartitionManagement = true,
        }));
        builder.Services.AddSingleton<DurableTaskClient>(sp =>
            new StorageTaskHubClient(sp.GetRequiredService<AzureStorageOrchestrationService>(), hostJson.HubName));
        // Functions binds the durable client to the activity that starts a repayment lifecycle; here it comes from DI.
        builder.Services.AddSingleton<JisuDai.App.Loans.IRepaymentStarter>(sp => ActivatorUtilities.CreateInstance<JisuDai.Orchestrations.Repayment.RepaymentStarter>(sp));
        builder.Services.AddSingleton(new TaskHubCatalog(
            hostJson.HubName,
            DurableTasks.Orchestrators.Select(t => t.Name).ToList(),
            DurableTasks.Activities.Select(t => t.Name).ToList()));
        builder.Services.AddDurableTaskWorker(worker =>
        {
            worker.AddTasks(registry =>
            {
                foreach (Type orchestrator in DurableTasks.Orchestrators)
                {
                    registry.AddOrchestrator(orchestrator);
                }

                foreach (Type activity in DurableTasks.Activities)
                {
                    registry.AddActivity(activity);
                }
            });
            worker.UseBuildTarget<TaskHubWorkerHost>();
        });
    }
}
