namespace JisuDai.App.Notifications;

/// <summary>Phones that asked for no more messages (transactional ones still go).</summary>
public interface IOptOuts
{
    /// <summary>Records that <paramref name="phone"/> opted out.</summary>
    Task AddAsync(string phone, string source, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>True when <paramref name="phone"/> opted out.</summary>
    Task<bool> ContainsAsync(string phone, CancellationToken cancellationToken);
}
