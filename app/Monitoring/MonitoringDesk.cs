using JisuDai.App.Results;
using JisuDai.Lending.Calendar;
using JisuDai.Risk.Monitoring;

namespace JisuDai.App.Monitoring;

/// <summary>What staff ask of monitoring: the measured days, the book, and a run, a retraining or a recalibration on demand.</summary>
public sealed class MonitoringDesk(IRiskMetrics metrics, RiskMonitoring monitoring, PlatformTraining training, TimeProvider clock)
{
    /// <summary>The longest span one request reads.</summary>
    public const int MaxDays = 366;

    /// <summary>Days shown when no span is given: the last 30 measured days up to yesterday.</summary>
    public const int DefaultDays = 30;

    /// <summary>The decision metrics from <paramref name="from"/> to <paramref name="to"/> (yyyy-MM-dd; defaults: the 30 days to yesterday).</summary>
    public async Task<Result<IReadOnlyList<DailyRiskMetrics>>> DaysAsync(string? from, string? to, CancellationToken cancellationToken)
    {
        DateOnly yesterday = LenderCalendar.Today(clock).AddDays(-1);
        if (!DayText.TryParse(to, yesterday, out DateOnly last))
        {
            return Result<IReadOnlyList<DailyRiskMetrics>>.Invalid("to", "to must be a date, yyyy-MM-dd.");
        }

        if (!DayText.TryParse(from, last.AddDays(1 - DefaultDays), out DateOnly first))
        {
            return Result<IReadOnlyList<DailyRiskMetrics>>.Invalid("from", "from must be a date, yyyy-MM-dd.");
        }

        if (first > last || last.DayNumber - first.DayNumber >= MaxDays)
        {
            return Result<IReadOnlyList<DailyRiskMetrics>>.Invalid("from", $"from must be on or before to, and at most {MaxDays} days before it.");
        }

        return Result<IReadOnlyList<DailyRiskMetrics>>.Ok(await metrics.DaysAsync(first, last, cancellationToken));
    }

    /// <summary>The book as of <paramref name="asOf"/> (yyyy-MM-dd; default: the latest measured).</summary>
    public async Task<Result<PortfolioMetrics>> PortfolioAsync(string? asOf, CancellationToken cancellationToken)
    {
        DateOnly? day = null;
        if (asOf is not null)
        {
            if (!DayText.TryParse(asOf, default, out DateOnly parsed))
            {
                return Result<PortfolioMetrics>.Invalid("asOf", "asOf must be a date, yyyy-MM-dd.");
            }

            day = parsed;
        }

        return await metrics.PortfolioAsync(day, cancellationToken) is { } portfolio
            ? Result<PortfolioMetrics>.Ok(portfolio)
            : Result<PortfolioMetrics>.NotFound(day is null ? "Monitoring has not run yet." : $"Monitoring had not run by {day:yyyy-MM-dd}.");
    }

    /// <summary>Runs monitoring now through yesterday (the last full day), as the nightly timer does.</summary>
    public async Task<Result<MonitoringRun>> RunAsync(CancellationToken cancellationToken) =>
        Result<MonitoringRun>.Ok(await monitoring.RunAsync(LenderCalendar.Today(clock).AddDays(-1), cancellationToken));

    /// <summary>Retrains from platform data now, as the monthly timer does; refused while the champion is not there to compare with.</summary>
    public Task<Result<RetrainingReport>> RetrainAsync(CancellationToken cancellationToken) => WithChampionAsync(() => training.RetrainAsync(cancellationToken));

    /// <summary>Recalibrates the champion now, as the monthly timer does after retraining.</summary>
    public Task<Result<RecalibrationReport>> RecalibrateAsync(CancellationToken cancellationToken) => WithChampionAsync(() => training.RecalibrateAsync(cancellationToken));

    static async Task<Result<T>> WithChampionAsync<T>(Func<Task<T>> run)
    {
        try
        {
            return Result<T>.Ok(await run());
        }
        catch (JisuDai.Risk.Models.ModelRegistryException e)
        {
            return Result<T>.Conflict(e.Message);
        }
    }
}
