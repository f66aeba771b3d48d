using JisuDai.App.Results;
using JisuDai.Lending;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Products;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Models;
using JisuDai.Risk.Outcomes;
using JisuDai.Risk.Rules;
using JisuDai.Risk.Scoring;

namespace JisuDai.App.Risk;

/// <summary>
/// A candidate rule set run over the applications the platform decided between <see cref="From"/> and <see cref="To"/>:
/// the baseline is each decision as it was made, the candidate the same application with the same score, checks,
/// customer history and product version under the candidate. <see cref="Skipped"/> decisions could not be re-run (their
/// model or product version is gone, or the candidate does not compile against that model's facts), each with why.
/// Outcomes are the loans' final labels in <see cref="LabelWindow"/>.
/// </summary>
public sealed record PlatformBacktest(DateOnly From, DateOnly To, string LabelWindow, string CandidateVersion, int Skipped, IReadOnlyList<string> SkippedWhy, BacktestReport Report);

/// <summary>
/// Backtests a rule set on the platform's own decisions before anyone proposes it: what it would have approved,
/// referred and declined, which decisions it moves, each rule's firings, and the bad rates, with no model re-scored and
/// nothing written. The fraud checks are the ones recorded at the time, so a candidate's check rules see what the
/// decision saw.
/// </summary>
public sealed class RuleSetBacktests(
    RuleSetDesk desk, IDocumentStore<CreditDecision> decisions, IDocumentStore<LoanOutcome> outcomes, IModelRegistry registry,
    Products.LoanProducts products, string labelWindow, TimeProvider clock)
{
    /// <summary>The days a backtest covers when none are named, and the most it may.</summary>
    public const int DefaultDays = 90, MaxDays = 366;

    /// <summary>Runs <paramref name="document"/> over the decisions made from <paramref name="from"/> to <paramref name="to"/> (lender dates, inclusive; default the last 90 days).</summary>
    public async Task<Result<PlatformBacktest>> RunAsync(byte[] document, string? from, string? to, string? window, CancellationToken cancellationToken)
    {
        Result<RuleSet> parsed = desk.Parse(document);
        if (!parsed.Succeeded)
        {
            return parsed.As<PlatformBacktest>();
        }

        DateOnly today = LenderCalendar.Today(clock);
        var errors = new List<DomainError>();
        if (!DayText.TryParse(to, today, out DateOnly last))
        {
            errors.Add(new DomainError("to", "invalid", $"to must be a date, yyyy-MM-dd; got '{to}'."));
        }

        if (!DayText.TryParse(from, last.AddDays(1 - DefaultDays), out DateOnly first))
        {
            errors.Add(new DomainError("from", "invalid", $"from must be a date, yyyy-MM-dd; got '{from}'."));
        }

        string labels = window is { Length: > 0 } named ? named : labelWindow;
        if (!OutcomeWindows.All.Contains(labels))
        {
            errors.Add(new DomainError("window", "invalid", $"window must be one of {string.Join(", ", OutcomeWindows.All)}."));
        }

        if (errors.Count == 0 && first > last)
        {
            errors.Add(new DomainError("from", "invalid", $"from ({first:yyyy-MM-dd}) must not be after to ({last:yyyy-MM-dd})."));
        }
        else if (errors.Count == 0 && last.DayNumber - first.DayNumber + 1 > MaxDays)
        {
            errors.Add(new DomainError("from", "invalid", $"A backtest covers at most {MaxDays} days; from {first:yyyy-MM-dd} to {last:yyyy-MM-dd} is {last.DayNumber - first.DayNumber + 1}."));
        }

        if (errors.Count > 0)
        {
            return Result<PlatformBacktest>.Invalid(errors);
        }

        Dictionary<string, Label> labelOf = await Monitoring.MaturedLabels.ByDecisionAsync(outcomes, labels, today, cancellationToken);

        string candidateVersion = parsed.Value!.Version;
        // The candidate compiled once per model version (each model's inputs are facts), products read once per version.
        var compiled = new Dictionary<string, (RuleSet? RuleSet, FactCatalog? Catalog, string? Why)>(StringComparer.Ordinal);
        var productOf = new Dictionary<(string, int), LoanProduct?>();
        var backtest = new Backtest();
        var why = new SortedSet<string>(StringComparer.Ordinal);
        int skipped = 0;
        await foreach (Versioned<CreditDecision> read in decisions.ScanAsync(cancellationToken))
        {
            CreditDecision d = read.Document;
            // Applications only: a staff what-if decision is not traffic (monitoring leaves it out too).
            if (d.ApplicationId is null || d.On < first || d.On > last)
            {
                continue;
            }

            string modelKey = d.ModelName + "/" + d.ModelVersion;
            if (!compiled.TryGetValue(modelKey, out var forModel))
            {
                compiled[modelKey] = forModel = await CompileAsync(document, d.ModelName, d.ModelVersion, cancellationToken);
            }

            if (!productOf.TryGetValue((d.ProductCode, d.ProductVersion), out LoanProduct? product))
            {
                productOf[(d.ProductCode, d.ProductVersion)] = product = await products.VersionAsync(d.ProductCode, d.ProductVersion, cancellationToken);
            }

            if (forModel.RuleSet is null || product is null)
            {
                skipped++;
                why.Add(forModel.Why ?? $"Product {d.ProductCode} version {d.ProductVersion} was never published.");
                continue;
            }

            DecisionResult candidate = DecisionEngine.Decide(forModel.RuleSet, forModel.Catalog!,
                new DecisionRequest(d.Application, d.Checks, d.Customer, product, d.On, d.Behaviour, d.Bureau), d.Score);
            bool? bad = labelOf.TryGetValue(d.Id, out Label label) ? label == Label.Bad : null;
            backtest.Add(d.Result, d.RuleSetVersion, candidate, candidateVersion, d.Score.ProbabilityOfDefault, bad);
        }

        return Result<PlatformBacktest>.Ok(new PlatformBacktest(first, last, labels, candidateVersion, skipped, [.. why], backtest.Report()));
    }

    async Task<(RuleSet?, FactCatalog?, string?)> CompileAsync(byte[] document, string modelName, string modelVersion, CancellationToken cancellationToken)
    {
        ModelBundle? bundle;
        try
        {
            bundle = await registry.GetAsync(modelName, modelVersion, cancellationToken);
        }
        catch (ModelRegistryException e)
        {
            return (null, null, e.Message);
        }

        if (bundle is null)
        {
            return (null, null, $"Model {modelName} version {modelVersion} is no longer in the registry.");
        }

        // The model's facts only: its inputs through its spec, as the scorer maps them (no scorer, so no trees loaded).
        FactCatalog catalog = DecisionFacts.Catalog(new ApplicationFeatures(bundle.Model.Inputs, bundle.Spec));
        (RuleSet? ruleSet, var errors) = RuleSet.Parse(document, catalog);
        return ruleSet is null
            ? (null, null, $"The candidate does not compile against model {modelName} version {modelVersion}'s facts: {string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"))}")
            : (ruleSet, catalog, null);
    }
}
