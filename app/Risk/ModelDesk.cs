using System.Text.Json;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Risk.Models;

namespace JisuDai.App.Risk;

/// <summary>A proposed promotion: the registered version to make the champion.</summary>
public sealed record ModelPromotionBody(string? Version);

/// <summary>A trained bundle as uploaded: its files (model.json, report.json, trees.zip, as <c>jisudai train</c> wrote them), base64.</summary>
public sealed record ModelUploadBody(IReadOnlyDictionary<string, string>? Files);

/// <summary>A model's registered versions and its champion.</summary>
public sealed record ModelVersions(string Name, ChampionPointer? Champion, IReadOnlyList<RegisteredVersion> Versions);

/// <summary>
/// The champion of a model: read, promoted to a registered version, rolled back to the previous champion. Promoting
/// and rolling back are four eyes: one admin proposes, another approves, and only the approval moves the champion
/// (running hosts pick it up within <c>Risk:ModelRefreshSeconds</c>). Registering a bundle moves nothing, so one admin
/// does it, through here (audited) like everything else: no command writes the registry itself.
/// </summary>
public sealed class ModelDesk(IModelRegistry registry, IAuditLog audit)
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

        return listed.Value.Champion?.Version == version
            ? Result<StaffRequest>.Conflict($"Version {version} is already the champion of {name}.")
            : await fourEyes.ProposeAsync(maker, StaffPower.ModelPromotion, name, JsonSerializer.Serialize(new ModelPromotionBody(version), StaffRequest.PayloadJson), cancellationToken);
    }

    /// <summary><paramref name="maker"/> proposes making the previous champion of <paramref name="name"/> the champion again.</summary>
    public async Task<Result<StaffRequest>> ProposeRollbackAsync(Caller maker, string name, FourEyes fourEyes, CancellationToken cancellationToken)
    {
        Result<ModelVersions> listed = await ListAsync(name, cancellationToken);
        return !listed.Succeeded ? listed.As<StaffRequest>()
            : listed.Value!.Champion is not { Previous.Count: > 0 } champion ? Result<StaffRequest>.Conflict($"Model {name} has no earlier champion to roll back to.")
            : await fourEyes.ProposeAsync(maker, StaffPower.ModelRollback, name, JsonSerializer.Serialize(new ModelPromotionBody(champion.Version), StaffRequest.PayloadJson), cancellationToken);
    }

    /// <summary>Moves the champion as an approved request says: promotes its version, or rolls back from the champion it was proposed against.</summary>
    public async Task<Result<object>> CarryOutAsync(StaffRequest request, CancellationToken cancellationToken)
    {
        string version = JsonSerializer.Deserialize<ModelPromotionBody>(request.Payload, StaffRequest.PayloadJson)!.Version!;
        try
        {
            if (request.Power == StaffPower.ModelPromotion)
            {
                return Result<object>.Ok(await registry.PromoteAsync(request.Target, version, cancellationToken));
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

/// <summary>Rolling a model back to its previous champion: proposed by an admin, approved by another.</summary>
public sealed class ModelRollbackPower(ModelDesk desk) : IStaffPower
{
    public StaffPower Power => StaffPower.ModelRollback;

    public IReadOnlyList<string> ProposerRoles { get; } = [Roles.Admin];

    public IReadOnlyList<string> ApproverRoles { get; } = [Roles.Admin];

    public Task<Result<object>> CarryOutAsync(StaffRequest request, Caller approver, StaffContext context, CancellationToken cancellationToken) => desk.CarryOutAsync(request, cancellationToken);
}
