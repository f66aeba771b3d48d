using Azure.Storage.Blobs;
using JisuDai.Adapters.Risk;
using JisuDai.App.Risk;
using JisuDai.Risk.Data;
using JisuDai.Risk.Defaults;
using JisuDai.Risk.Models;
using JisuDai.Risk.Scoring;
using JisuDai.Risk.Training;
using JisuDai.Risk.Trees;
using JisuDai.Tests;
using Microsoft.Extensions.Logging.Abstractions;

namespace JisuDai.Functions.Tests.Risk;

/// <summary>The model registry on Blob storage (Azurite), and the warm model that reads it.</summary>
public sealed class BlobModelRegistryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    /// <summary>A small, quick model: 400 rows of the bundled data, one tree setting; the seed makes versions differ.</summary>
    static ModelBundle Small(string name, int seed)
    {
        using TextReader text = DefaultModel.OpenData();
        CreditDataset data = CreditDataset.Prepare(TabularText.Read(text, DefaultModel.DataName), DefaultModel.Options, DefaultModel.DataName);
        TrainingResult result = ModelTrainer.Train(data.Select(Enumerable.Range(0, 400).ToArray()),
            new TrainingOptions(Folds: 3, Seed: seed, TreeGrid: [new TreeParameters(4, 3, 0.1, 20)]));
        return new ModelBundle(name, result.Model, DefaultModel.Spec, result.Report);
    }

    BlobModelRegistry Registry() => new(new BlobServiceClient(azurite.Server.ConnectionString), TimeProvider.System);

    static string Name() => $"m{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task A_registered_bundle_reads_back_byte_for_byte_and_registering_it_again_changes_nothing()
    {
        string name = Name();
        ModelBundle bundle = Small(name, 1);
        BlobModelRegistry registry = Registry();

        RegisteredVersion first = await registry.RegisterAsync(bundle, CancellationToken.None);
        RegisteredVersion second = await registry.RegisterAsync(bundle, CancellationToken.None);
        ModelBundle? read = await registry.GetAsync(name, bundle.Version, CancellationToken.None);

        Assert.Equal(bundle.Version, first.Version);
        Assert.Equal(first, second);
        Assert.Equal(bundle.Report.Champion, first.Champion);
        Assert.Single(await registry.ListAsync(name, CancellationToken.None));
        Assert.NotNull(read);
        Assert.Equal(bundle.Files(), read.Files());
        Assert.Null(await registry.GetAsync(name, "0123456789abcdef", CancellationToken.None));
        Assert.Null(await registry.GetChampionAsync(name, CancellationToken.None));
    }

    [Fact]
    public async Task Promote_moves_the_champion_forward_and_rollback_moves_it_back_until_there_is_nothing_earlier()
    {
        string name = Name();
        ModelBundle a = Small(name, 1), b = Small(name, 2);
        BlobModelRegistry registry = Registry();
        await registry.RegisterAsync(a, CancellationToken.None);
        await registry.RegisterAsync(b, CancellationToken.None);

        await registry.PromoteAsync(name, a.Version, CancellationToken.None);
        ChampionPointer promoted = await registry.PromoteAsync(name, b.Version, CancellationToken.None);
        Assert.Equal(b.Version, promoted.Version);
        Assert.Equal([a.Version], promoted.Previous);
        ChampionPointer stored = (await registry.GetChampionAsync(name, CancellationToken.None))!;
        Assert.Equal((promoted.Version, promoted.PromotedAt), (stored.Version, stored.PromotedAt));
        Assert.Equal(promoted.Previous, stored.Previous);

        ChampionPointer rolledBack = await registry.RollbackAsync(name, CancellationToken.None);
        Assert.Equal(a.Version, rolledBack.Version);
        Assert.Empty(rolledBack.Previous);

        var e = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.RollbackAsync(name, CancellationToken.None));
        Assert.Contains("no earlier champion", e.Message);
        Assert.Equal(a.Version, (await registry.GetChampionAsync(name, CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task Promoting_an_unknown_version_is_refused_and_leaves_the_champion_alone()
    {
        string name = Name();
        ModelBundle a = Small(name, 1);
        BlobModelRegistry registry = Registry();
        await registry.RegisterAsync(a, CancellationToken.None);
        await registry.PromoteAsync(name, a.Version, CancellationToken.None);

        var e = await Assert.ThrowsAsync<ModelRegistryException>(() => registry.PromoteAsync(name, "0123456789abcdef", CancellationToken.None));
        Assert.Contains("has no version 0123456789abcdef", e.Message);
        await Assert.ThrowsAsync<ModelRegistryException>(() => registry.PromoteAsync("Bad Name", a.Version, CancellationToken.None));
        Assert.Equal(a.Version, (await registry.GetChampionAsync(name, CancellationToken.None))!.Version);
    }

    [Fact]
    public async Task Two_promotions_at_once_both_land_one_as_champion_and_the_other_in_its_history()
    {
        string name = Name();
        ModelBundle a = Small(name, 1), b = Small(name, 2), c = Small(name, 3);
        BlobModelRegistry setup = Registry();
        foreach (ModelBundle m in new[] { a, b, c })
        {
            await setup.RegisterAsync(m, CancellationToken.None);
        }

        await setup.PromoteAsync(name, a.Version, CancellationToken.None);

        // Two processes, each with its own registry client.
        await Task.WhenAll(
            Registry().PromoteAsync(name, b.Version, CancellationToken.None),
            Registry().PromoteAsync(name, c.Version, CancellationToken.None));

        ChampionPointer final = (await setup.GetChampionAsync(name, CancellationToken.None))!;
        string other = final.Version == b.Version ? c.Version : b.Version;
        Assert.Contains(final.Version, new[] { b.Version, c.Version });
        Assert.Equal([other, a.Version], final.Previous);
    }

    [Fact]
    public async Task A_challenger_runs_beside_the_champion_the_warm_model_loads_both_and_promoting_it_ends_it()
    {
        string name = Name();
        ModelBundle a = Small(name, 1), b = Small(name, 2);
        BlobModelRegistry registry = Registry();
        await registry.RegisterAsync(a, CancellationToken.None);
        await Assert.ThrowsAsync<ModelRegistryException>(() => registry.SetChallengerAsync(name, new ChallengerArm(a.Version, 0.2, DateTimeOffset.UtcNow), CancellationToken.None)); // no champion
        await registry.PromoteAsync(name, a.Version, CancellationToken.None);
        await registry.RegisterAsync(b, CancellationToken.None);

        await Assert.ThrowsAsync<ModelRegistryException>(() => registry.SetChallengerAsync(name, new ChallengerArm(a.Version, 0.2, DateTimeOffset.UtcNow), CancellationToken.None)); // the champion itself
        await Assert.ThrowsAsync<ModelRegistryException>(() => registry.SetChallengerAsync(name, new ChallengerArm(b.Version, 0.6, DateTimeOffset.UtcNow), CancellationToken.None)); // above half
        await Assert.ThrowsAsync<ModelRegistryException>(() => registry.SetChallengerAsync(name, new ChallengerArm("00000000deadbeef", 0.2, DateTimeOffset.UtcNow), CancellationToken.None));
        ChampionPointer withChallenger = await registry.SetChallengerAsync(name, new ChallengerArm(b.Version, 0.3, DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.Equal((a.Version, b.Version, 0.3), (withChallenger.Version, withChallenger.Challenger!.Version, withChallenger.Challenger.TrafficShare));

        // A new share for the same version keeps its start, so its comparison goes on.
        ChampionPointer moreTraffic = await registry.SetChallengerAsync(name, new ChallengerArm(b.Version, 0.4, DateTimeOffset.UtcNow.AddDays(1)), CancellationToken.None);
        Assert.Equal((0.4, withChallenger.Challenger.Since), (moreTraffic.Challenger!.TrafficShare, moreTraffic.Challenger.Since));
        // Only if none runs: the running one stays.
        Assert.Equal(b.Version, (await registry.SetChallengerAsync(name, null, CancellationToken.None, onlyIfNone: true)).Challenger!.Version);
        withChallenger = await registry.SetChallengerAsync(name, new ChallengerArm(b.Version, 0.3, DateTimeOffset.UtcNow), CancellationToken.None);

        var model = new RiskModel(registry, new RiskOptions(name, TimeSpan.FromSeconds(1)), NullLogger<RiskModel>.Instance);
        await model.RefreshAsync(CancellationToken.None);
        ModelLineup lineup = (await model.LineupAsync(TimeSpan.Zero, CancellationToken.None))!;
        Assert.Equal((a.Version, b.Version, 0.3), (lineup.Champion.Version, lineup.Challenger!.Version, lineup.ChallengerShare));

        // A challenger whose stored bundle no longer matches its version is left out: the champion decides alone.
        var blob = new BlobServiceClient(azurite.Server.ConnectionString).GetBlobContainerClient(BlobModelRegistry.Container).GetBlobClient($"{name}/{b.Version}/{ModelBundle.ReportFile}");
        byte[] original = (await blob.DownloadContentAsync()).Value.Content.ToArray();
        await blob.UploadAsync(new BinaryData([.. original, (byte)'\n']), overwrite: true);
        var fresh = new RiskModel(registry, new RiskOptions(name, TimeSpan.FromSeconds(1)), NullLogger<RiskModel>.Instance);
        await fresh.RefreshAsync(CancellationToken.None);
        ModelLineup alone = (await fresh.LineupAsync(TimeSpan.Zero, CancellationToken.None))!;
        Assert.Equal((a.Version, (CreditScorer?)null, 0.0), (alone.Champion.Version, alone.Challenger, alone.ChallengerShare));
        await blob.UploadAsync(new BinaryData(original), overwrite: true);

        // Promoted, the challenger has won: it is the champion, and nothing runs beside it.
        ChampionPointer promoted = await registry.PromoteAsync(name, b.Version, CancellationToken.None);
        Assert.Equal((b.Version, (ChallengerArm?)null), (promoted.Version, promoted.Challenger));
        await model.RefreshAsync(CancellationToken.None);
        lineup = (await model.LineupAsync(TimeSpan.Zero, CancellationToken.None))!;
        Assert.Equal((b.Version, (CreditScorer?)null), (lineup.Champion.Version, lineup.Challenger));
    }

    [Fact]
    public async Task A_stored_file_changed_after_registration_is_detected_on_load()
    {
        string name = Name();
        ModelBundle a = Small(name, 1);
        BlobModelRegistry registry = Registry();
        await registry.RegisterAsync(a, CancellationToken.None);
        var blob = new BlobServiceClient(azurite.Server.ConnectionString).GetBlobContainerClient(BlobModelRegistry.Container)
            .GetBlobClient($"{name}/{a.Version}/{ModelBundle.ReportFile}");
        await blob.UploadAsync(new BinaryData([.. a.Files()[ModelBundle.ReportFile], (byte)'\n']), overwrite: true);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => registry.GetAsync(name, a.Version, CancellationToken.None));
        Assert.Contains("does not match its content", e.Message);
    }

    [Fact]
    public async Task With_an_empty_registry_the_first_instance_trains_and_promotes_the_default_and_others_load_it_and_follow_promotions()
    {
        var blobs = new BlobServiceClient(azurite.Server.ConnectionString);
        var options = new RiskOptions(DefaultModel.Name, TimeSpan.FromSeconds(1));
        var first = new RiskModel(new BlobModelRegistry(blobs, TimeProvider.System), options, NullLogger<RiskModel>.Instance);
        Assert.Null(await first.WhenReadyAsync(TimeSpan.Zero, CancellationToken.None));

        await first.RefreshAsync(CancellationToken.None);

        var registry = new BlobModelRegistry(blobs, TimeProvider.System);
        ChampionPointer champion = (await registry.GetChampionAsync(DefaultModel.Name, CancellationToken.None))!;
        Assert.Equal(champion.Version, first.Current!.Version);
        Assert.Equal(ModelKinds.Blend, first.Current.Bundle.Report.Champion);

        var second = new RiskModel(new BlobModelRegistry(blobs, TimeProvider.System), options, NullLogger<RiskModel>.Instance);
        await second.RefreshAsync(CancellationToken.None);
        Assert.Equal(champion.Version, second.Current!.Version);
        Assert.Single(await registry.ListAsync(DefaultModel.Name, CancellationToken.None));

        ModelBundle newer = Small(DefaultModel.Name, 5);
        await registry.RegisterAsync(newer, CancellationToken.None);
        await registry.PromoteAsync(DefaultModel.Name, newer.Version, CancellationToken.None);
        await second.RefreshAsync(CancellationToken.None);
        Assert.Equal(newer.Version, second.Current!.Version);

        await registry.RollbackAsync(DefaultModel.Name, CancellationToken.None);
        await second.RefreshAsync(CancellationToken.None);
        Assert.Equal(champion.Version, second.Current!.Version);
    }
}
