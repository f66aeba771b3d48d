using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Risk;

/// <summary>Loads the model at start-up (training the default if the registry is empty) and picks up promotions after that.</summary>
public sealed class RiskModelRefresher(RiskModel model, RiskOptions options, TimeProvider clock, ILogger<RiskModelRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan retry = TimeSpan.FromSeconds(2);
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait = options.RefreshInterval;
            try
            {
                await model.RefreshAsync(stoppingToken);
                retry = TimeSpan.FromSeconds(2);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Keep scoring with the model in memory; try again sooner while there is none.
                logger.LogError(e, "Could not load the risk model; trying again in {Seconds} s.", (model.Current is null ? retry : wait).TotalSeconds);
                if (model.Current is null)
                {
                    wait = retry;
                    retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, options.RefreshInterval.Ticks));
                }
            }

            try
            {
                await Task.Delay(wait, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
