using Cronos;
using JisuDai.Adapters.Storage;
using JisuDai.App.Configuration;
using JisuDai.Functions;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Standalone.Functions;

/// <summary>
/// Fires each timer function on its CRON schedule, as the Functions timer trigger does: six-field
/// expressions (with seconds), <c>%Setting%</c> references resolved from configuration, and the time zone
/// of <c>WEBSITE_TIME_ZONE</c> (UTC when unset). A run never overlaps the previous run of the same timer.
/// Like the Functions schedule monitor, each timer's schedule status (its next occurrence) is kept in storage
/// (Table <c>timerstatus</c>), so an occurrence that fell while no host ran fires once at start, past due.
/// </summary>
sealed class TimerScheduler(
    FunctionCatalog catalog,
    IConfiguration configuration,
    IServiceProvider services,
    Azure.Data.Tables.TableServiceClient tables,
    TimeProvider clock,
    ILogger<TimerScheduler> logger) : BackgroundService
{
    readonly JisuDai.Adapters.Storage.OnceCreatedTable statuses = new(tables, "timerstatus");

    public const string TimeZoneSetting = AppSettings.TimeZone;

    /// <summary>Reads every schedule up front, so a bad one stops the host at start with the setting's name.</summary>
    public IReadOnlyList<(TimerFunction Function, CronExpression Cron)> Schedules { get; } =
        catalog.Timers.Select(t => (t, Parse(t, configuration))).ToList();

    public TimeZoneInfo TimeZone { get; } = ResolveTimeZone(configuration);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Schedules.Select(s => RunAsync(s.Function, s.Cron, stoppingToken)));

    async Task RunAsync(TimerFunction function, CronExpression cron, CancellationToken stoppingToken)
    {
        FunctionInvoker.EnsureBindable(function.Method);
        DateTimeOffset? last = null;
        // An occurrence due while no host ran: fire it now, once, as past due.
        DateTimeOffset? missed = await ReadNextAsync(function, stoppingToken) is { } recorded && recorded < clock.GetUtcNow() ? recorded : null;
        if (missed is not null)
        {
            logger.LogWarning("Timer {Function}: the occurrence due {Due:u} was missed while no host ran; running it now.", function.Name, missed.Value);
        }

        DateTimeOffset? saved = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset now = clock.GetUtcNow();
            DateTimeOffset? next = missed ?? cron.GetNextOccurrence(now, TimeZone);
            missed = null;
            if (next is null)
            {
                return;
            }

            if (next != saved)
            {
                await TrySaveNextAsync(function, next.Value, stoppingToken);
                saved = next;
            }

            try
            {
                if (next.Value > now)
                {
                    await Task.Delay(next.Value - now, clock, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            DateTimeOffset following = cron.GetNextOccurrence(next.Value, TimeZone) ?? next.Value;
            var info = new TimerInfo
            {
                IsPastDue = clock.GetUtcNow() - next.Value > TimeSpan.FromSeconds(5),
                ScheduleStatus = new ScheduleStatus { Last = (last ?? next.Value).UtcDateTime, Next = following.UtcDateTime, LastUpdated = clock.GetUtcNow().UtcDateTime },
            };
            last = next;
            // The status moves on before the run, as in Functions: a run that crashes is not repeated at start.
            await TrySaveNextAsync(function, following, stoppingToken);
            saved = following;
            try
            {
                await using AsyncServiceScope scope = services.CreateAsyncScope();
                await FunctionInvoker.InvokeAsync(function.Method, scope.ServiceProvider, new TriggerValues(Timer: info), stoppingToken);
                logger.LogInformation("Timer {Function} ran for {Due:u}{PastDue}", function.Name, next.Value, info.IsPastDue ? " (past due)" : "");
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Timer {Function} failed for {Due:u}", function.Name, next.Value);
            }
        }
    }

    async Task<DateTimeOffset?> ReadNextAsync(TimerFunction function, CancellationToken cancellationToken)
    {
        try
        {
            Azure.Data.Tables.TableClient table = await statuses.GetAsync(cancellationToken);
            var row = await table.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("timers", function.Name, cancellationToken: cancellationToken);
            return row.HasValue ? row.Value!.GetDateTimeOffset("Next") : null;
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException)
        {
            logger.LogWarning(e, "Timer {Function}: its schedule status could not be read; a missed occurrence will not run now.", function.Name);
            return null;
        }
    }

    /// <summary>Records the timer's next occurrence; storage that does not answer is logged, and the schedule goes on.</summary>
    async Task TrySaveNextAsync(TimerFunction function, DateTimeOffset next, CancellationToken cancellationToken)
    {
        try
        {
            Azure.Data.Tables.TableClient table = await statuses.GetAsync(cancellationToken);
            await table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity("timers", function.Name) { ["Next"] = next, ["LastUpdated"] = clock.GetUtcNow() },
                Azure.Data.Tables.TableUpdateMode.Replace, cancellationToken);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException)
        {
            logger.LogWarning(e, "Timer {Function}: its schedule status could not be saved; an occurrence missed before the next start may not run.", function.Name);
        }
    }

    static CronExpression Parse(TimerFunction function, IConfiguration configuration)
    {
        string schedule = function.Schedule;
        string setting = "";
        if (schedule.StartsWith('%') && schedule.EndsWith('%'))
        {
            setting = schedule.Trim('%');
            schedule = configuration[setting]
                ?? throw new ConfigurationException(setting, $"the schedule of timer function {function.Name} is not set.");
        }

        try
        {
            bool withSeconds = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6;
            return CronExpression.Parse(schedule, withSeconds ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw new ConfigurationException(setting.Length > 0 ? setting : function.Name, $"'{schedule}' is not a valid CRON expression ({e.Message}).", e);
        }
    }

    static TimeZoneInfo ResolveTimeZone(IConfiguration configuration)
    {
        string? id = configuration[TimeZoneSetting];
        if (string.IsNullOrWhiteSpace(id))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException e)
        {
            throw new ConfigurationException(TimeZoneSetting, $"'{id}' is not a known time zone (use an IANA id such as Asia/Shanghai).", e);
        }
    }
}
