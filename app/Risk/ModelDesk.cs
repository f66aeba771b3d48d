using System.Text.Json;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Risk.Models;
using JisuDai.Risk.Monitoring;

namespace JisuDai.App.Risk;

/// <summary>A proposed promotion: the registered version to make the champion.</summary>
public sealed record ModelPromotionBody(string? Version);

/// <summary>A trained bundle as uploaded: its files (model.json, report.json, trees.zip, as <c>jisudai train</c> wrote them), base64.</summary>
public sealed record ModelUploadBody(IReadOnlyDictionary<string, string>? Files);

/// <summary>A proposed challenger: a registered version and the share of customers it decides for (0: shadow only); no version ends the challenger.</summary>
public sealed record ModelChallengerBody(string? Version, double? TrafficShare);

/// <summary>A model's registered versions and its champion.</summary>
public sealed record ModelVersions(string Name, ChampionPointer? Champion, IReadOnlyList<RegisteredVersion> Versions);

/// <summary>A registered version and what its training found (the candidates, the features' information values, the baseline monitoring compares with).</summary>
public sealed record ModelVersionReport(string Name, string Version, JisuDai.Risk.Training.TrainingReport Report);

/// <summary>
/// The champion of a model: read, promoted to a registered version, rolled back to the previous champion, and run
/// beside a challenger. Promoting, rolling back and setting a challenger are four eyes: one admin proposes, another
/// approves, and only the approval moves anything (running hosts pick it up within <c>Risk:ModelRefreshSeconds</c>).
/// Promoting the running challenger must also pass the guardrails of the latest comparison
/// (<see cref="ChallengerComparison"/>), when proposed and again when approved. Registering a bundle moves nothing, so
/// one admin does it, through here (audited) like everything else: no command writes the registry itself.
/// </summary>
public sealed class ModelDesk(IModelRegistry registry, IAuditLog audit, Monitoring.IRiskMetrics metrics)
{
    /// <summary>
    /// <paramref name="admin"/> registers the bundle in <paramref name="body"/> as a version of <paramref name="name"/>
    /// (the bundle's own name): checked whole (its version is the hash of its files), stored if new, the same bundle
    /// again answered as registered. It decides nothing until promoted.
    /// </summary>
    public async Task<Result<Recorded<RegisteredVersion>>> RegisterAsync(Caller admin, string name, ModelUploadBody body, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach ((string file, string content) in body.Files ?? new Dictionary<string, string>())
        {
            try
            {
                files[file] = Convert.FromBase64String(content);
            }
            catch (FormatException)
            {
                return Result<Recorded<RegisteredVersion>>.Invalid($"files.{file}", $"files.{file} must be base64.");
            }
        }

        ModelBundle bundle;
        try
        {
            bundle = ModelBundle.FromFiles(files);
        }
        catch (InvalidDataException e)
        {
            return Result<Recorded<RegisteredVersion>>.Invalid("files", $"files must be the bundle jisudai train wrote ({ModelBundle.ManifestFile}, {ModelBundle.ReportFile}, {ModelBundle.TreesFile}): {e.Message}");
        }

        if (bundle.Name != name)
        {
            return Result<Recorded<RegisteredVersion>>.Invalid("files", $"The bundle is of model {bundle.Name}, not {name}.");
        }

        try
        {
            bool known = (await registry.ListAsync(name, cancellationToken)).Any(v => v.Version == bundle.Version);
            RegisteredVersion registered = await registry.RegisterAsync(bundle, cancellationToken);
            if (!known)
            {
                await audit.AppendAsync(StaffAction.By(admin, "register model", name, $"version {registered.Version}, CV AUC {registered.Auc:F4}"), cancellationToken);
            }

            return Result<Recorded<RegisteredVersion>>.Ok(new Recorded<RegisteredVersion>(registered, Created: !known));
        }
        catch (ModelRegistryException e)
        {
            return Result<Recorded<RegisteredVersion>>.Invalid("files", e.Message);
        }
    }

    public async Task<Result<ModelVersions>> ListAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return Result<ModelVersions>.Ok(new ModelVersions(name, await registry.GetChampionAsync(name, cancellationToken), await registry.ListAsync(name, cancellationToken)));
        }
        catch (ModelRegistryException e)
        {
            return Result<ModelVersions>.Invalid("name", e.Message);
        }
    }

    /// <summary>Version <paramref name="version"/> of <paramref name="name"/> with its training report.</summary>
    public async Task<Result<ModelVersionReport>> ReportAsync(string name, string version, CancellationToken cancellationToken)
    {
        if (!JisuDai.Risk.RegistryNames.IsVersion(version))
        {
            return Result<ModelVersionReport>.Invalid("version", "version must be a model version: 16 lowercase hex digits.");
        }

        try
        {
            return await registry.GetAsync(name, version, cancellationToken) is { } bundle
                ? Result<ModelVersionReport>.Ok(new ModelVersionReport(name, version, bundle.Report))
                : Result<ModelVersionReport>.NotFound($"Model {name} has no version {version}.");
        }
        catch (ModelRegistryException e)
        {
            return Result<ModelVersionReport>.Invalid("name", e.Message);
        }
    }

    /// <summary><paramref name="maker"/> proposes making <paramref name="body"/>'s version the champion of <paramref name="name"/>.</summary>
    public async Task<Result<StaffRequest>> ProposePromotionAsync(Caller maker, string name, ModelPromotionBody body, FourEyes fourEyes, CancellationToken cancellationToken)
    {
        if (body.Version is not { Length: > 0 } version)
        {
            return Result<StaffRequest>.Invalid("version", "version is required: a registered version of the model.");
        }

        Result<ModelVersions> listed = await ListAsync(name, cancellationToken);
        if (!listed.Succeeded)
        {
            return listed.As<StaffRequest>();
        }

        if (listed.Value!.Versions.All(v => v.Version != version))
        {
            return Result<StaffRequest>.NotFound($"Model {name} has no version {version}.");
        }

        if (listed.Value.Champion?.Version == version)
        {
            return Result<StaffRequest>.Conflict($"Version {version} is already the champion of {name}.");
        }

        return await GuardrailsRefuseAsync(listed.Value.Champion, version, cancellationToken) is { } refusal
            ? Result<StaffRequest>.Conflict(refusal)
            : await fourEyes.ProposeAsync(maker, StaffPower.ModelPromotion, name, JsonSerializer.Serialize(new ModelPromotionBody(version), StaffRequest.PayloadJson), cancellationToken);
    }

    /// <summary>The latest comparison of <paramref name="name"/>'s champion and challenger.</summary>
    public async Task<Result<ChallengerComparison>> ComparisonAsync(string name, CancellationToken cancellationToken)
    {
        Result<ModelVersions> listed = await ListAsync(name, cancellationToken);
        if (!listed.Succeeded)
        {
            return listed.As<ChallengerComparison>();
        }

        return await metrics.ComparisonAsync(name, cancellationToken) is { } comparison
            ? Result<ChallengerComparison>.Ok(comparison)
            : Result<ChallengerComparison>.NotFound($"Model {name} has no comparison yet: one is made each night while a challenger runs.");
    }

    /// <summary>
    /// Why promoting <paramref name="version"/> is refused by the guardrails, or null when it may go ahead: a version that
    /// runs, or ever ran, as the challenger needs its last comparison, made against the champion now, to pass (so ending
    /// a challenger that failed does not let it through). A version that never ran as the challenger has nothing to
    /// compare and is judged by the two admins alone.
    /// </summary>
    async Task<string?> GuardrailsRefuseAsync(ChampionPointer? champion, string version, CancellationToken cancellationToken)
    {
        if (champion is null)
        {
            return null;
        }

        bool running = champion.Challenger?.Version == version;
        ChallengerComparison? comparison = await metrics.ComparisonOfAsync(champion.Name, version, cancellationToken);
        if (comparison is null && !running)
        {
            return null;
        }

        if (comparison is null || comparison.ChampionVersion != champion.Version)
        {
            return running
                ? $"Challenger {version} has no comparison against champion {champion.Version} yet (monitoring makes one each night)."
                : $"Version {version} was last compared against {comparison!.ChampionVersion}, not the champion {champion.Version}: run it as the challenger again to compare.";
        }

        return comparison.Passes ? null : $"Challenger {version} does not pass the guardrails as of {comparison.AsOf:yyyy-MM-dd}: {string.Join(" ", comparison.Reasons)}";
    }

    /// <summary><paramref name="maker"/> proposes making the previous champion of <paramref name="name"/> the champion again.</summary>
    public async Task<Result<StaffRequest>> ProposeRollbackAsync(Caller maker, string name, FourEyes fourEyes, CancellationToken cancellationToken)
    {
        Result<ModelVersions> listed = await ListAsync(name, cancellationToken);
        return !listed.Succeeded ? listed.As<StaffRequest>()
            : listed.Value!.Champion is not { Previous.Count: > 0 } champion ? Result<StaffRequest>.Conflict($"Model {name} has no earlier champion to roll back to.")
            : await fourEyes.ProposeAsync(maker, StaffPower.ModelRollback, name, JsonSerializer.Serialize(new ModelPromotionBody(champion.Version), StaffRequest.PayloadJson), cancellationToken);
    }

    /// <summary>
    /// <paramref name="maker"/> proposes running <paramref name="body"/>'s version as the challenger of <paramref name="name"/>
    /// on its traffic share (0 to 0.5; scored in shadow on every application either way), or, with no version, ending the
    /// challenger. The challenger decides real applications, so this is four eyes like a promotion.
    /// </summary>
    public async Task<Result<StaffRequest>> ProposeChallengerAsync(Caller maker, string name, ModelChallengerBody body, FourEyes fourEyes, CancellationToken cancellationToken)
    {
        Result<ModelVersions> listed = await ListAsync(name, cancellationToken);
        if (!listed.Succeeded)
        {
            return listed.As<StaffRequest>();
        }

        ChampionPointer? champion = listed.Value!.Champion;
        if (body.Version is null)
        {
            return champion?.Challenger is null
                ? Result<StaffRequest>.Conflict($"Model {name} has no challenger to end.")
                : await fourEyes.ProposeAsync(maker, StaffPower.ModelChallenger, name, JsonSerializer.Serialize(new ModelChallengerBody(null, null), StaffRequest.PayloadJson), cancellationToken);
        }

        if (body.TrafficShare is not { } share || !ModelArms.IsTrafficShare(share))
        {
            return Result<StaffRequest>.Invalid("trafficShare", ModelArms.TrafficShareRequired);
        }

        if (listed.Value.Versions.All(v => v.Version != body.Version))
        {
            return Result<StaffRequest>.NotFound($"Model {name} has no version {body.Version}.");
        }

        if (champion is null || champion.Version == body.Version)
        {
            return Result<StaffRequest>.Conflict(champion is null ? $"Model {name} has no champion for a challenger to run beside." : $"Version {body.Version} is the champion of {name}.");
        }

        return await fourEyes.ProposeAsync(maker, StaffPower.ModelChallenger, name, JsonSerializer.Serialize(new ModelChallengerBody(body.Version, share), StaffRequest.PayloadJson), cancellationToken);
    }

    /// <summary>Sets the challenger an approved request names (or ends it).</summary>
    public async Task<Result<object>> SetChallengerAsync(StaffRequest request, TimeProvider clock, CancellationToken cancellationToken)
    {
        ModelChallengerBody body = JsonSerializer.Deserialize<ModelChallengerBody>(request.Payload, StaffRequest.PayloadJson)!;
        try
        {
            ChallengerArm? arm = body.Version is { } version ? new ChallengerArm(version, body.TrafficShare!.Value, clock.GetUtcNow()) : null;
            return Result<object>.Ok(await registry.SetChallengerAsync(request.Target, arm, cancellationToken));
        }
        catch (ModelRegistryException e)
        {
            return Result<object>.Conflict(e.Message);
        }
    }

    /// <summary>Moves the champion as an approved request says: promotes its version, or rolls back from the champion it was proposed against.</summary>
    public async Task<Result<object>> CarryOutAsync(StaffRequest request, CancellationToken cancellationToken)
    {
        string version = JsonSerializer.Deserialize<ModelPromotionBody>(request.Payload, StaffRequest.PayloadJson)!.Version!;
        try
        {
            if (request.Power == StaffPower.ModelPromotion)
            {
                // Judged again: the comparison may have changed since the proposal.
                return await GuardrailsRefuseAsync(await registry.GetChampionAsync(request.Target, cancellationToken), version, cancellationToken) is { } refusal
                    ? Result<object>.Conflict(refusal)
                    : Result<object>.Ok(await registry.PromoteAsync(request.Target, version, cancellationToken));
            }

            // Rolled back only from the champion it was proposed against: a promotion since then is not undone by it.
            ChampionPointer? now = await registry.GetChampionAsync(request.Target, cancellationToken);
            return now?.Version != version
                ? Result<object>.Conflict($"The champion of {request.Target} is no longer {version}; propose the rollback again.")
                : Result<object>.Ok(await registry.RollbackAsync(request.Target, cancellationToken));
        }
        catch (ModelRegistryException e)
        {
            return Result<object>.Conflict(e.Message);
        }
    }
}

/// <summary>Promoting a model version: proposed by an admin, approved by another.</summary>
public sealed class ModelPromotionPower(ModelDesk desk) : IStaffPower
{
    public StaffPower Power => StaffPower.ModelPromotion;

    public IReadOnlyList<string> ProposerRoles { get; } = [Roles.Admin];

    public IReadOnlyList<string> ApproverRoles { get; } = [Roles.Admin];

    public Task<Result<object>> CarryOutAsync(StaffRequest request, Caller approver, StaffContext context, CancellationToken cancellationToken) => desk.CarryOutAsync(request, cancellationToken);
}

/// <summary>Starting, changing or ending a model's challenger: proposed by an admin, approved by another.</summary>
public sealed class ModelChallengerPower(ModelDesk desk, TimeProvider clock) : IStaffPower
{
    public StaffPower Power => StaffPower.ModelChallenger;

    public IReadOnlyList<string> ProposerRoles { get; } = [Roles.Admin];

    public IReadOnlyList<string> ApproverRoles { get; } = [Roles.Admin];

    public Task<Result<object>> CarryOutAsync(StaffRequest request, Caller approver, StaffContext context, CancellationToken cancellationToken) => desk.SetChallengerAsync(request, clock, cancellationToken);
}

/// <summary>Rolling a model back to its previous champion: proposed by an admin, approved by another.</summary>
public sealed class ModelRollbackPower(ModelDesk desk) : IStaffPower
{
    public StaffPower Power => StaffPower.ModelRollback;

    public IReadOnlyList<string> ProposerRoles { get; } = [Roles.Admin];

    public IReadOnlyList<string> ApproverRoles { get; } = [Roles.Admin];

    public Task<Result<object>> CarryOutAsync(StaffRequest request, Caller approver, StaffContext context, CancellationToken cancellationToken) => desk.CarryOutAsync(request, cancellationToken);
}
