using JisuDai.Adapters.Security;
using JisuDai.App.Security;
using JisuDai.Functions.Composition;
using JisuDai.Functions.Http;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace JisuDai.Functions;

/// <summary>Entry point of the Azure Functions host (isolated worker with ASP.NET Core integration).</summary>
public static class FunctionsProgram
{
    public static void Main(string[] args)
    {
        FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<Http.ProblemsMiddleware>();
        builder.Services.AddJisuDaiFunctions(builder.Configuration);
        if (Telemetry.Enabled(builder.Configuration))
        {
            // The worker's own spans of each invocation, and its resource (the Function App, the instance).
            builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        }
        var host = builder.Build();
        host.Services.GetRequiredService<Adapters.Security.Tokens>(); // fail at start, not at the first request, on a bad key
        host.Services.GetRequiredService<App.Security.PersonalData>();
        KeyVaultKeys.RequireConfigured(host.Services);
        host.Run();
    }
}
