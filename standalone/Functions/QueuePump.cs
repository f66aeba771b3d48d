using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using JisuDai.Functions;

namespace JisuDai.Standalone.Functions;

/// <summary>
/// Drains each queue-triggered function's queue with the Functions queue trigger's semantics: messages in
/// batches, polling backing off to <c>maxPollingInterval</c> when idle, a failed message made visible again
/// after <c>visibilityTimeout</c>, and once it has been dequeued <c>maxDequeueCount</c> times, moved to
/// <c>{queue}-poison</c> (never dropped). On shutdown it stops taking messages and lets in-flight ones finish.
/// </summary>
sealed class QueuePump(
    FunctionCatalog catalog,
    QueueServiceClient queues,
    QueueTriggerSettings settings,
    IServiceProvider services,
    ILogger<QueuePump> logger) : BackgroundService
{
    static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    // While a message is being processed it stays invisible this long; ample for any one function run.
    static readonly TimeSpan ProcessingLease = TimeSpan.FromMinutes(10);

    static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(25);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(catalog.Queues.Select(q => PumpAsync(q, stoppingToken)));

    async Task PumpAsync(QueueFunction function, CancellationToken stoppingToken)
    {
        FunctionInvoker.EnsureBindable(function.Method);
        QueueClient queue = queues.GetQueueClient(function.QueueName);
        QueueClient poison = queues.GetQueueClient($"{function.QueueName}-poison");
        await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);

        // In-flight runs get their own token: shutdown waits for them, and cancels them only past the drain limit.
        using var drain = new CancellationTokenSource();
        Task stopping = Task.Delay(Timeout.Infinite, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        TimeSpan delay = MinPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] batch;
            try
            {
                batch = (await queue.ReceiveMessagesAsync(settings.BatchSize, ProcessingLease, stoppingToken)).Value;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Receiving from queue {Queue} failed; retrying", function.QueueName);
                batch = [];
            }

            if (batch.Length == 0)
            {
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxPollingInterval.Ticks));
                continue;
            }

            delay = MinPollingInterval;
            Task all = Task.WhenAll(batch.Select(m => ProcessAsync(function, queue, poison, m, drain.Token)));
            if (await Task.WhenAny(all, stopping) != all)
            {
                drain.CancelAfter(DrainLimit);
                logger.LogInformation("Stopping: waiting for {Count} in-flight messages of queue {Queue}", batch.Length, function.QueueName);
                await all;
                break;
            }
        }
    }

    async Task ProcessAsync(QueueFunction function, QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await using AsyncServiceScope scope = services.CreateAsyncScope();
            await FunctionInvoker.InvokeAsync(function.Method, scope.ServiceProvider, new TriggerValues(QueueMessage: message.Body.ToString()), cancellationToken);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
        }
        catch (Exception e)
        {
            if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                logger.LogError(e, "Message {MessageId} of queue {Queue} failed {Count} times; moving it to {Poison}",
                    message.MessageId, function.QueueName, message.DequeueCount, poison.Name);
                await poison.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
                await poison.SendMessageAsync(message.Body, cancellationToken: CancellationToken.None);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
            }
            else
            {
                logger.LogWarning(e, "Message {MessageId} of queue {Queue} failed (try {Count} of {Max}); retrying after {Delay}",
                    message.MessageId, function.QueueName, message.DequeueCount, settings.MaxDequeueCount, settings.VisibilityTimeout);
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: CancellationToken.None);
            }
        }
    }
}
