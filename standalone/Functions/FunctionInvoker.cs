using System.Reflection;
using JisuDai.App.Results;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace JisuDai.Standalone.Functions;

/// <summary>What a trigger hands to a function's parameters in this host.</summary>
sealed record TriggerValues(
    HttpContext? Http = null,
    TimerInfo? Timer = null,
    string? QueueMessage = null);

/// <summary>
/// Calls a function method the way the Functions worker would: an instance built from DI (one scope per
/// invocation), its trigger and <c>[DurableClient]</c> parameters bound, route values bound by name.
/// Parameters this host cannot bind fail at start-up, not at the first request.
/// </summary>
static class FunctionInvoker
{
    public static void EnsureBindable(MethodInfo method)
    {
        foreach (ParameterInfo p in method.GetParameters())
        {
            bool bindable = p.ParameterType == typeof(HttpRequest)
                || p.ParameterType == typeof(TimerInfo)
                || p.ParameterType == typeof(CancellationToken)
                || p.ParameterType == typeof(DurableTaskClient)
                || p.ParameterType == typeof(string);
            if (!bindable)
            {
                throw new InvalidOperationException(
                    $"{method.DeclaringType!.Name}.{method.Name}: the standalone host cannot bind parameter '{p.Name}' of type {p.ParameterType.Name}.");
            }
        }
    }

    public static async Task<object?> InvokeAsync(MethodInfo method, IServiceProvider services, TriggerValues trigger, CancellationToken cancellationToken)
    {
        object? target = method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
        object?[] arguments = method.GetParameters().Select(p => Bind(p, services, trigger, cancellationToken)).ToArray();
        object? returned;
        try
        {
            returned = method.Invoke(target, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }

        if (returned is Task task)
        {
            await task;
            return task.GetType().IsGenericType ? task.GetType().GetProperty("Result")!.GetValue(task) : null;
        }

        return returned;
    }

    static object? Bind(ParameterInfo p, IServiceProvider services, TriggerValues trigger, CancellationToken cancellationToken)
    {
        if (p.ParameterType == typeof(HttpRequest)) return trigger.Http?.Request;
        if (p.ParameterType == typeof(TimerInfo)) return trigger.Timer;
        if (p.ParameterType == typeof(CancellationToken)) return cancellationToken;
        if (p.ParameterType == typeof(DurableTaskClient)) return services.GetRequiredService<DurableTaskClient>();
        if (p.GetCustomAttribute<QueueTriggerAttribute>() is not null) return trigger.QueueMessage;
        return trigger.Http?.Request.RouteValues.TryGetValue(p.Name!, out object? value) == true ? value?.ToString() : null;
    }

    /// <summary>Writes an HTTP function's result as the Functions ASP.NET Core integration does.</summary>
    public static Task WriteAsync(HttpContext context, object? result) => result switch
    {
        IActionResult action => action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor())),
        IResult minimal => minimal.ExecuteAsync(context),
        null => Task.CompletedTask,
        _ => throw new InvalidOperationException($"Unsupported HTTP function result {result.GetType().Name}."),
    };
}
