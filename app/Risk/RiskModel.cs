using JisuDai.Risk.Defaults;
using JisuDai.Risk.Models;
using JisuDai.Risk.Scoring;
using JisuDai.Risk.Training;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Risk;

/// <summary>The models deciding now: the champion, and the challenger beside it (with its share of customers) when there is one.</summary>
public sealed record ModelLineup(CreditScorer Champion, CreditScorer? Challenger, double ChallengerShare);

/// <summary>
/// The champion model of this process, and its challenger when it has one, loaded once and kept warm (the reason for
/// the Premium plan). On first start with an empty registry it trains the default model from the bundled data,
/// registers and promotes it, so the app decides applications with no configuration. A promotion, rollback or change
/// of challenger in the registry is picked up on the next refresh.
/// </summary>
public sealed class RiskModel(IModelRegistry registry, RiskOptions options, ILogger<RiskModel> logger)
{
    readonly TaskCompletionSource firstLoad = new(TaskCreationOptions.RunContinuationsAsynchronously);
    volatile ModelLineup? lineup;

    /// <summary>The warm champion, or null while the first load is under way.</summary>
    public CreditScorer? Current => lineup?.Champion;

    /// <summary>The champion, waiting up to <paramref name="wait"/> for the first load; null if it is not ready by then.</summary>
    public async Task<CreditScorer?> WhenReadyAsync(TimeSpan wait, CancellationToken cancellationToken) =>
        (await LineupAsync(wait, cancellationToken))?.Champion;

    /// <summary>The champion and challenger, waiting up to <paramref name="wait"/> for the first load; null if they are not ready by then.</summary>
    public async Task<ModelLineup?> LineupAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (lineup is { } ready)
        {
            return ready;
        }

        await Task.WhenAny(firstLoad.Task, Task.Delay(wait, cancellationToken));
        return lineup;
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

        ModelLineup? now = lineup;
        CreditScorer first = now?.Champion.Version == champion.Version ? now.Champion : await LoadAsync(champion.Name, champion.Version, "champion", cancellationToken);
        CreditScorer? second = champion.Challenger is not { } arm ? null
            : now?.Challenger?.Version == arm.Version ? now.Challenger
            : await ChallengerOrNoneAsync(champion.Name, arm, cancellationToken);
        double share = second is null ? 0 : champion.Challenger!.TrafficShare;
        if (now is null || now.Champion != first || now.Challenger != second || now.ChallengerShare != share)
        {
            lineup = new ModelLineup(first, second, share);
        }

        firstLoad.TrySetResult();
    }

    // A challenger that cannot be loaded must not stop the champion deciding: it is left out, and tried again next refresh.
    async Task<CreditScorer?> ChallengerOrNoneAsync(string name, ChallengerArm arm, CancellationToken cancellationToken)
    {
        try
        {
            return await LoadAsync(name, arm.Version, $"challenger on {arm.TrafficShare:P0} of customers", cancellationToken);
        }
        catch (Exception e) when (e is ModelRegistryException or InvalidDataException or InvalidOperationException)
        {
            logger.LogError(e, "Model {Name} challenger {Version} could not be loaded; the champion decides alone.", name, arm.Version);
            return null;
        }
    }

    async Task<CreditScorer> LoadAsync(string name, string version, string role, CancellationToken cancellationToken)
    {
        ModelBundle bundle = await registry.GetAsync(name, version, cancellationToken)
            ?? throw new ModelRegistryException($"Model {name} version {version} ({role}) is not in the registry.");
        logger.LogInformation("Scoring with model {Name} version {Version} as {Role} ({Champion}, CV AUC {Auc:F4}).",
            bundle.Name, bundle.Version, role, bundle.Report.Champion, bundle.Report.Candidates.First(c => c.Name == bundle.Report.Champion).Auc.Mean);
        return new CreditScorer(bundle);
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
