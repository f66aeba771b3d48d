using JisuDai.Risk.Behaviour;

namespace JisuDai.App.Behaviour;

/// <summary>A customer's behaviour events, append-only: an event sent again (same id and time) is the same event.</summary>
public interface IBehaviourEvents
{
    /// <summary>Appends <paramref name="events"/> (each with its id) for <paramref name="customerId"/>, all or none.</summary>
    Task AppendAsync(string customerId, IReadOnlyList<(string Id, BehaviourEvent Event)> events, CancellationToken cancellationToken);

    /// <summary>The customer's events that happened at or after <paramref name="since"/>.</summary>
    Task<IReadOnlyList<BehaviourEvent>> ListAsync(string customerId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Deletes every event that happened before <paramref name="before"/>; answers how many went.</summary>
    Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Deletes every event of <paramref name="customerId"/> (an erasure); returns how many.</summary>
    Task<int> DeleteCustomerAsync(string customerId, CancellationToken cancellationToken);
}
