using JisuDai.Adapters.Composition;
using JisuDai.Functions.Diagnostics;
using JisuDai.Functions.Health;
using JisuDai.Functions.Http;
using JisuDai.Functions.Security;
using JisuDai.Lending.Applications;
using JisuDai.Orchestrations.Approval;
using JisuDai.Orchestrations.Repayment;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JisuDai.Functions.Composition;

/// <summary>The functions' services: the app's (<see cref="Adapters.Composition.JisuDaiServices.AddJisuDai"/>) and the HTTP side both hosts share.</summary>
public static class FunctionsServices
{
    public static IServiceCollection AddJisuDaiFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddJisuDai(configuration);
        services.AddJisuDaiTelemetry(configuration);
        // Answers name their enums ("Principal", not 3), as the stored documents and the statuses do; both hosts write IActionResults with these.
        // Credit outcomes keep their own names (approve, review, decline): a converter in the options outranks the type's attribute.
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o =>
        {
            o.JsonSerializerOptions.Converters.Add(new CreditOutcomeJson());
            o.JsonSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        });
        services.AddSingleton(AppServiceAuthentication.FromConfiguration(configuration));
        services.AddSingleton<Authentication>();
        services.AddSingleton<CallerGate>();
        services.AddSingleton<ApprovalWorkflows>();
        services.AddSingleton<RepaymentLifecycles>();
        services.AddSingleton(DiagnosticsOptions.FromConfiguration(configuration));
        services.AddSingleton(ClientAddress.FromConfiguration(configuration));
        services.AddSingleton(sp => RequestLimits.FromConfiguration(configuration, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<HealthProbe>();
        services.AddSingleton(StaffConsole.ConsoleFiles.Beside(AppContext.BaseDirectory));
        return services;
    }
}
