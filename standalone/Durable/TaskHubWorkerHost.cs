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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var shims = new DurableTaskShimFactory(options.Get(Name), loggerFactory);
        var worker = new TaskHubWorker(service, loggerFactory)
        {
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };
        worker.AddTaskOrchestrations(taskNames.Orchestrators.Select(n => (ObjectCreator<TaskOrchestration>)new OrchestrationCreator(n, Factory, services, shims)).ToArray());
        worker.AddTaskActivities(taskNames.Activities.Select(n => (ObjectCreator<TaskActivity>)new ActivityCreator(n, Factory, services, shims)).ToArray());

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

    sealed class OrchestrationCreator : ObjectCreator<TaskOrchestration>
    {
        readonly IDurableTaskFactory factory;
        readonly IServiceProvider services;
        readonly DurableTaskShimFactory shims;

        public OrchestrationCreator(string name, IDurableTaskFactory factory, IServiceProvider services, DurableTaskShimFactory shims)
        {
            Name = name;
            Version = string.Empty;
            this.factory = factory;
            this.services = services;
            this.shims = shims;
        }

        public override TaskOrchestration Create() =>
            factory.TryCreateOrchestrator(Name, services, out ITaskOrchestrator? orchestrator)
                ? shims.CreateOrchestration(Name, orchestrator)
                : throw new InvalidOperationException($"Orchestrator '{Name}' is not registered.");
    }

    sealed class ActivityCreator : ObjectCreator<TaskActivity>
    {
        readonly IDurableTaskFactory factory;
        readonly IServiceProvider services;
        readonly DurableTaskShimFactory shims;

        public ActivityCreator(string name, IDurableTaskFactory factory, IServiceProvider services, DurableTaskShimFactory shims)
        {
            Name = name;
            Version = string.Empty;
            this.factory = factory;
            this.services = services;
            this.shims = shims;
        }

        public override TaskActivity Create() => new ScopedActivity(Name, factory, services, shims);
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
