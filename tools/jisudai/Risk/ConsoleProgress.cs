namespace JisuDai.Tools.Risk;

/// <summary>A progress bar on a terminal; a line per tenth of the work when the output is redirected (CI, logs).</summary>
sealed class ConsoleProgress<T>(Func<T, (int Done, int Total, string Stage)> read) : IProgress<T>
{
    readonly Lock gate = new();
    int lastTenth = -1;

    public void Report(T value)
    {
        (int done, int total, string stage) = read(value);
        lock (gate)
        {
            if (!Console.IsErrorRedirected)
            {
                int filled = done * 30 / Math.Max(1, total);
                Console.Error.Write($"\r[{new string('#', filled)}{new string('.', 30 - filled)}] {done}/{total} {stage,-60}");
                if (done == total)
                {
                    Console.Error.WriteLine();
                }
            }
            else if (done * 10 / Math.Max(1, total) is int tenth && tenth > lastTenth)
            {
                lastTenth = tenth;
                Console.Error.WriteLine($"progress {done}/{total}: {stage}");
            }
        }
    }
}
