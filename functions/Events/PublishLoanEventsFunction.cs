using JisuDai.App.Configuration;
using JisuDai.App.Events;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JisuDai.Functions.Events;

/// <summary>
/// Publishes the outbox on its CRON (<c>%EventPublishSchedule%</c>). Without a Service Bus namespace configured
/// (<c>Events:ServiceBusNamespace</c>, as locally) there is nowhere to publish: the events stay in the outbox table.
/// </summary>
public sealed class PublishLoanEventsFunction(IServiceProvider services, ILogger<PublishLoanEventsFunction> logger)
{
    [Function("PublishLoanEvents")]
    public async Task Run(
        [TimerTrigger("%" + AppSettings.EventPublishSchedule + "%")] TimerInfo timer,
        CancellationToken cancellationToken)
    {
        if (services.GetService<EventPublishing>() is not { } publishing)
        {
            logger.LogDebug("No Service Bus namespace configured; loan events stay in the outbox table.");
            return;
        }

        await publishing.DrainAsync(cancellationToken);
    }
}
