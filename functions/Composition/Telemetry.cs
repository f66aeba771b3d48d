using Azure.Monitor.OpenTelemetry.Exporter;
using JisuDai.App.Configuration;
using JisuDai.App.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace JisuDai.Functions.Composition;

/// <summary>
/// OpenTelemetry in both hosts: traces from the HTTP request through the app's own steps, the Durable task hub and the
/// Azure SDK's storage calls; the app's metrics (<see cref="LendingTelemetry"/>) with the host's HTTP ones; logs with
/// the trace and span ids. Exported to Azure Monitor where App Service gives the Application Insights connection
/// string (Bicep does: with the managed identity, as local authentication is off); elsewhere to what
/// <c>Telemetry:Exporter</c> names (<c>console</c>, or <c>otlp</c> with the standard <c>OTEL_EXPORTER_OTLP_*</c>
/// variables), and by default nowhere.
/// </summary>
public static class Telemetry
{
    /// <summary>The exporters <c>Telemetry:Exporter</c> may name.</summary>
    public static readonly IReadOnlyList<string> Exporters = ["none", "console", "otlp"];

    // Spans of the task hub's orchestrations and activities (DurableTask.Core, and the worker SDK's).
    static readonly string[] DurableSources = ["DurableTask.Core", "Microsoft.DurableTask", "Microsoft.DurableTask.Worker", "Microsoft.DurableTask.Client"];

    /// <summary>Whether telemetry goes anywhere here; a <c>Telemetry:Exporter</c> it does not know fails start naming it.</summary>
    public static bool Enabled(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[AppSettings.ApplicationInsightsConnectionString]) || ExporterOf(configuration) != "none";

    static string ExporterOf(IConfiguration configuration)
    {
        string exporter = configuration[AppSettings.TelemetryExporter] is { Length: > 0 } named ? named.Trim().ToLowerInvariant() : "none";
        return Exporters.Contains(exporter)
            ? exporter
            : throw new ConfigurationException(AppSettings.TelemetryExporter, $"must be one of {string.Join(", ", Exporters)} (is '{exporter}').");
    }

    public static IServiceCollection AddJisuDaiTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (!Enabled(configuration))
        {
            return services;
        }

        string? azureMonitor = configuration[AppSettings.ApplicationInsightsConnectionString];
        string exporter = ExporterOf(configuration);

        // Every queue trigger's poison queue, from the catalogue the hosts bind their triggers by.
        string[] triggerQueues = [.. FunctionCatalog.Load().Queues.Select(q => q.QueueName)];
        services.AddSingleton(sp => new Adapters.Storage.PoisonQueueDepths(
            sp.GetRequiredService<Azure.Storage.Queues.QueueServiceClient>(), triggerQueues, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Adapters.Storage.PoisonQueueDepths>>()));
        services.AddHostedService(sp => sp.GetRequiredService<Adapters.Storage.PoisonQueueDepths>());

        // The Azure SDK's clients (storage, Service Bus, Key Vault) emit spans only with this switch on.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
        Azure.Core.TokenCredential? credential = string.IsNullOrWhiteSpace(azureMonitor) ? null : Adapters.Configuration.Credentials.FromConfiguration(configuration, AppSettings.TelemetryClientId);
        void ToAzureMonitor(AzureMonitorExporterOptions o)
        {
            o.ConnectionString = azureMonitor;
            o.Credential = credential;
        }

        OpenTelemetryBuilder telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("jisudai", serviceVersion: typeof(Telemetry).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing =>
            {
                tracing.AddSource(LendingTelemetry.Name).AddSource(DurableSources).AddSource("Azure.*")
                    .AddAspNetCoreInstrumentation(o => o.RecordException = false)
                    .AddHttpClientInstrumentation();
                if (credential is not null) tracing.AddAzureMonitorTraceExporter(ToAzureMonitor);
                if (exporter == "console") tracing.AddConsoleExporter();
                if (exporter == "otlp") tracing.AddOtlpExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(LendingTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (credential is not null) metrics.AddAzureMonitorMetricExporter(ToAzureMonitor);
                if (exporter == "console") metrics.AddConsoleExporter();
                if (exporter == "otlp") metrics.AddOtlpExporter();
            });
        // Logs go with their trace ids where a backend keeps them; the console already has the host's own log lines.
        if (credential is not null || exporter == "otlp")
        {
            telemetry.WithLogging(logging =>
            {
                if (credential is not null) logging.AddAzureMonitorLogExporter(ToAzureMonitor);
                if (exporter == "otlp") logging.AddOtlpExporter();
            });
        }

        return services;
    }
}
