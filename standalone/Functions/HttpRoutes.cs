using JisuDai.Functions;
using JisuDai.Functions.Http;

namespace JisuDai.Standalone.Functions;

/// <summary>Serves every HTTP function on its Functions route (<c>/{routePrefix}/{route}</c>).</summary>
static class HttpRoutes
{
    public static void Map(WebApplication app, FunctionCatalog catalog, string routePrefix)
    {
        foreach (HttpFunction function in catalog.Http)
        {
            FunctionInvoker.EnsureBindable(function.Method);
            string pattern = string.IsNullOrEmpty(routePrefix) ? function.Route : $"{routePrefix}/{function.Route}";
            app.MapMethods(pattern, function.Verbs.Select(v => v.ToUpperInvariant()), async context =>
            {
                string traceId = Problems.TraceIdOf(context);
                object? result;
                try
                {
                    result = await FunctionInvoker.InvokeAsync(
                        function.Method, context.RequestServices, new TriggerValues(Http: context), context.RequestAborted);
                }
                catch (Exception e) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
                {
                    // As the Functions host's middleware does: logged with the trace id, answered as a problem without the exception.
                    context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(function.Name)
                        .LogError(e, "{Function} failed unexpectedly (trace {TraceId}).", function.Name, traceId);
                    result = Problems.Unexpected(traceId);
                }

                Problems.Trace(result, traceId);
                await FunctionInvoker.WriteAsync(context, result);
            }).WithName(function.Name);
        }
    }
}
