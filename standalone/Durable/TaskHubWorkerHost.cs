using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Hosting;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Options;

namespace JisuDai.Standalone.Durable;

/// <summary>
/// Runs the app's Microsoft.DurableTask orchestrators and activities on DurableTask.Core's
/// <see cref="TaskHubWorker"/> over the Azure Storage task hub: the backend Durable Functions itself uses.
/// Plugged in with <c>UseBuildTarget</c>, so the orchestrators come from the same registry (<c>AddTasks</c>)
/// and are turned into DurableTask.Core objects by the public <see cref="DurableTaskShimFactory"/>.
/// </summary>
sealed class TaskHubWorkerHost(
    string? name,
    IDurableTaskFactory factory,
    AzureStorageOrchestrationService service,
    IServiceProvider services,
    IOptionsMonitor<DurableTaskWorkerOptions> options,
    ILoggerFactory loggerFactory,
    TaskHubCatalog taskNames)
    : DurableTaskWorker(name, factory)
{
    readonly ILogger logger = loggerFactory.CreateLogger<TaskHubWorkerHost>();
    readonly DurableTaskShimFactory shims = new(options.Get(name ?? Options.DefaultName), loggerFactory);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var worker = new TaskHubWorker(service, loggerFactory)
        {
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };
        worker.AddTaskOrchestrations(taskNames.Orchestrators
            .Select(ObjectCreator<TaskOrchestration> (n) => new NamedCreator<TaskOrchestration>(n, CreateOrchestration)).ToArray());
        worker.AddTaskActivities(taskNames.Activities
            .Select(ObjectCreator<TaskActivity> (n) => new NamedCreator<TaskActivity>(n, name => new ScopedActivity(name, Factory, services, shims))).ToArray());

        await service.CreateIfNotExistsAsync();
        await worker.StartAsync();
        logger.LogInformation("Durable worker started on task hub {Hub}: {Orchestrators} orchestrators, {Activities} activities",
            taskNames.Hub, taskNames.Orchestrators.Count, taskNames.Activities.Count);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }

        // Graceful: in-flight work items finish and their leases are released before the host exits.
        await worker.StopAsync(isForced: false);
        logger.LogInformation("Durable worker stopped");
    }

    TaskOrchestration CreateOrchestration(string name) =>
        Factory.TryCreateOrchestrator(name, services, out ITaskOrchestrator? orchestrator)
            ? shims.CreateOrchestration(name, orchestrator)
            : throw new InvalidOperationException($"Orchestrator '{name}' is not registered.");

    /// <summary>Hands DurableTask.Core a fresh object of one name each time it runs that name.</summary>
    sealed class NamedCreator<T> : ObjectCreator<T>
    {
        readonly Func<string, T> create;

        public NamedCreator(string name, Func<string, T> create)
        {
            Name = name;
            Version = string.Empty;
            this.create = create;
        }

        public override T Create() => create(Name);
    }

    /// <summary>Resolves the activity in a DI scope of its own for each run, as Azure Functions does.</summary>
    sealed class ScopedActivity(string name, IDurableTaskFactory factory, IServiceProvider services, DurableTaskShimFactory shims) : TaskActivity
    {
        public override string Run(TaskContext context, string input) =>
            throw new NotSupportedException("Activities run asynchronously.");

        public override async Task<string> RunAsync(TaskContext context, string input)
        {
            await using AsyncServiceScope scope = services.CreateAsyncScope();
            if (!factory.TryCreateActivity(name, scope.ServiceProvider, out ITaskActivity? activity))
            {
                throw new InvalidOperationException($"Activity '{name}' is not registered.");
            }

            return await shims.CreateActivity(name, activity).RunAsync(context, input);
        }
    }
}

/// <summary>The task hub and the names the worker serves, from the orchestrations project's catalogue.</summary>
sealed record TaskHubCatalog(string Hub, IReadOnlyList<string> Orchestrators, IReadOnlyList<string> Activities);
