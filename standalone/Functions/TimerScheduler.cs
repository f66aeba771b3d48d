using Cronos;
using JisuDai.App.Configuration;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Standalone.Functions;

/// <summary>
/// Fires each timer function on its CRON schedule, as the Functions timer trigger does: six-field
/// expressions (with seconds), <c>%Setting%</c> references resolved from configuration, and the time zone
/// of <c>WEBSITE_TIME_ZONE</c> (UTC when unset). A run never overlaps the previous run of the same timer.
/// </summary>
sealed class TimerScheduler(
    FunctionCatalog catalog,
    IConfiguration configuration,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<TimerScheduler> logger) : BackgroundService
{
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
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset now = clock.GetUtcNow();
            DateTimeOffset? next = cron.GetNextOccurrence(now, TimeZone);
            if (next is null)
            {
                return;
            }

            try
            {
                await Task.Delay(next.Value - now, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var info = new TimerInfo
            {
                IsPastDue = clock.GetUtcNow() - next.Value > TimeSpan.FromSeconds(5),
                ScheduleStatus = new ScheduleStatus { Last = (last ?? next.Value).UtcDateTime, Next = (cron.GetNextOccurrence(next.Value, TimeZone) ?? next.Value).UtcDateTime, LastUpdated = clock.GetUtcNow().UtcDateTime },
            };
            last = next;
            try
            {
                await using AsyncServiceScope scope = services.CreateAsyncScope();
                await FunctionInvoker.InvokeAsync(function.Method, scope.ServiceProvider, new TriggerValues(Timer: info), stoppingToken);
                logger.LogInformation("Timer {Function} ran for {Due:u}", function.Name, next.Value);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Timer {Function} failed for {Due:u}", function.Name, next.Value);
            }
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
