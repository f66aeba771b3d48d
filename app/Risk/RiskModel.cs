using JisuDai.Risk.Defaults;
using JisuDai.Risk.Models;
using JisuDai.Risk.Scoring;
using JisuDai.Risk.Training;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Risk;

/// <summary>
/// The champion model of this process, loaded once and kept warm (the reason for the Premium plan). On first start with
/// an empty registry it trains the default model from the bundled data, registers and promotes it, so the app decides
/// applications with no configuration. A promotion or rollback in the registry is picked up on the next refresh.
/// </summary>
public sealed class RiskModel(IModelRegistry registry, RiskOptions options, ILogger<RiskModel> logger)
{
    readonly TaskCompletionSource firstLoad = new(TaskCreationOptions.RunContinuationsAsynchronously);
    volatile CreditScorer? current;

    /// <summary>The warm scorer, or null while the first load is under way.</summary>
    public CreditScorer? Current => current;

    /// <summary>The scorer, waiting up to <paramref name="wait"/> for the first load; null if it is not ready by then.</summary>
    public async Task<CreditScorer?> WhenReadyAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (current is { } scorer)
        {
            return scorer;
        }

        await Task.WhenAny(firstLoad.Task, Task.Delay(wait, cancellationToken));
        return current;
    }

    /// <summary>Loads the champion if it is not the one in memory; trains and registers the default first if there is none.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        ChampionPointer? champion = await registry.GetChampionAsync(options.ModelName, cancellationToken);
        if (champion is null)
        {
            if (options.ModelName != DefaultModel.Name)
            {
                throw new ModelRegistryException($"Model {options.ModelName} has no champion; register and promote one with 'jisudai models'.");
            }

            champion = await TrainDefaultAsync(cancellationToken);
        }

        if (current?.Version == champion.Version)
        {
            return;
        }

        ModelBundle bundle = await registry.GetAsync(champion.Name, champion.Version, cancellationToken)
            ?? throw new ModelRegistryException($"Model {champion.Name} champion {champion.Version} is not in the registry.");
        current = new CreditScorer(bundle);
        firstLoad.TrySetResult();
        logger.LogInformation("Scoring with model {Name} version {Version} ({Champion}, CV AUC {Auc:F4}).",
            bundle.Name, bundle.Version, bundle.Report.Champion, bundle.Report.Candidates.First(c => c.Name == bundle.Report.Champion).Auc.Mean);
    }

    async Task<ChampionPointer> TrainDefaultAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("The model registry has no {Name}; training the default model from the bundled German Credit data.", DefaultModel.Name);
        int lastTenth = -1;
        var progress = new Progress<TrainingProgress>(p =>
        {
            if (p.Done * 10 / p.Total is int tenth && tenth > lastTenth)
            {
                lastTenth = tenth;
                logger.LogInformation("Training the default model: {Done}/{Total} ({Stage}).", p.Done, p.Total, p.Stage);
            }
        });

        // One core, so the host keeps the other for requests while it trains.
        ModelBundle bundle = await Task.Run(() => DefaultModel.Train(progress, parallelism: 1, cancellationToken), cancellationToken);
        await registry.RegisterAsync(bundle, cancellationToken);

        // Another instance may have trained at the same time: training is deterministic, so both promote the same version.
        return await registry.PromoteAsync(bundle.Name, bundle.Version, cancellationToken);
    }
}
