namespace JisuDai.Risk.Models;

/// <summary>
/// Which version of a model decides applications, the champions before it (newest first) for rollback, and the
/// challenger beside it, if any.
/// </summary>
/// <param name="Name">The model's name.</param>
/// <param name="Version">The champion version.</param>
/// <param name="Previous">Earlier champions, newest first.</param>
/// <param name="PromotedAt">When this version became champion.</param>
/// <param name="Challenger">A version scoring every application in shadow and deciding a share of them; null: none.</param>
public sealed record ChampionPointer(string Name, string Version, IReadOnlyList<string> Previous, DateTimeOffset PromotedAt, ChallengerArm? Challenger = null);

/// <summary>A challenger: the version, the share of customers it decides for, and since when.</summary>
/// <param name="Version">The challenger version.</param>
/// <param name="TrafficShare">The share of customers (0 to <see cref="ModelArms.MaxTrafficShare"/>) whose applications it decides; 0: shadow only.</param>
/// <param name="Since">When it became the challenger.</param>
public sealed record ChallengerArm(string Version, double TrafficShare, DateTimeOffset Since);

/// <summary>A registered version, as listed.</summary>
/// <param name="Name">The model's name.</param>
/// <param name="Version">The content hash.</param>
/// <param name="Champion">The candidate that won in training.</param>
/// <param name="Auc">Its mean cross-validated AUC.</param>
/// <param name="DataHash">The training data's hash.</param>
/// <param name="RegisteredAt">When it was registered.</param>
public sealed record RegisteredVersion(string Name, string Version, string Champion, double Auc, string DataHash, DateTimeOffset RegisteredAt);

/// <summary>A registry operation that cannot be done: unknown version, nothing to roll back to, an invalid name.</summary>
public sealed class ModelRegistryException(string message) : Exception(message);

/// <summary>
/// The model registry: bundles stored by name and content-hash version, and a champion pointer per name that
/// <see cref="PromoteAsync"/> moves forward and <see cref="RollbackAsync"/> moves back.
/// </summary>
public interface IModelRegistry
{
    /// <summary>Stores a bundle; registering the same version again changes nothing.</summary>
    Task<RegisteredVersion> RegisterAsync(ModelBundle bundle, CancellationToken cancellationToken);

    /// <summary>The registered versions of <paramref name="name"/>, newest first.</summary>
    Task<IReadOnlyList<RegisteredVersion>> ListAsync(string name, CancellationToken cancellationToken);

    /// <summary>A registered bundle, or null when there is no such version.</summary>
    Task<ModelBundle?> GetAsync(string name, string version, CancellationToken cancellationToken);

    /// <summary>The champion pointer of <paramref name="name"/>, or null before the first promotion.</summary>
    Task<ChampionPointer?> GetChampionAsync(string name, CancellationToken cancellationToken);

    /// <summary>Makes a registered version the champion, remembering the one it replaces.</summary>
    Task<ChampionPointer> PromoteAsync(string name, string version, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the challenger of <paramref name="name"/> (null: ends it); the champion must exist and differ from it. The same
    /// version again (a new share) keeps its start, so its comparison goes on. With <paramref name="onlyIfNone"/>, a
    /// challenger already running is left as it is (checked under the pointer's ETag).
    /// </summary>
    Task<ChampionPointer> SetChallengerAsync(string name, ChallengerArm? challenger, CancellationToken cancellationToken, bool onlyIfNone = false);

    /// <summary>Makes the previous champion the champion again.</summary>
    Task<ChampionPointer> RollbackAsync(string name, CancellationToken cancellationToken);
}
