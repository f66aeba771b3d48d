using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace JisuDai.Functions.Http;

/// <summary>
/// In the Functions host, every HTTP function's problem answer carries the request's trace id, and an exception a
/// function did not handle becomes a 500 problem with that id (logged in full, never shown). The standalone host does
/// the same in its route handler.
/// </summary>
public sealed class ProblemsMiddleware(ILogger<ProblemsMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not { } http)
        {
            await next(context);
            return;
        }

        string traceId = Problems.TraceIdOf(http);
        try
        {
            await next(context);
        }
        catch (Exception e) when (!http.RequestAborted.IsCancellationRequested && !http.Response.HasStarted)
        {
            logger.LogError(e, "{Function} failed unexpectedly (trace {TraceId}).", context.FunctionDefinition.Name, traceId);
            context.GetInvocationResult().Value = Problems.Unexpected(traceId);
        }

        Problems.Trace(context.GetInvocationResult().Value, traceId);
    }
}
