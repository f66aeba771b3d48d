namespace JisuDai.App.Loans;

/// <summary>The last day the overdue sweep finished, so a sweep that died halfway is finished by the next, and events it raised are copied again.</summary>
public interface ISweepProgress
{
    /// <summary>The last completed day, or null before the first sweep.</summary>
    Task<DateOnly?> LastCompletedAsync(CancellationToken cancellationToken);

    /// <summary>Marks <paramref name="day"/> completed.</summary>
    Task MarkCompletedAsync(DateOnly day, CancellationToken cancellationToken);
}
