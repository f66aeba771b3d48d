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
                object? result = await FunctionInvoker.InvokeAsync(
                    function.Method, context.RequestServices, new TriggerValues(Http: context), context.RequestAborted);
                await FunctionInvoker.WriteAsync(context, result);
            }).WithName(function.Name);
        }
    }
}
