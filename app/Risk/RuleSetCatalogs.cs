
using Rules = JisuDai.Risk.Rules;
using JisuDai.Risk.Data;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Defaults;
using JisuDai.Risk.Models;
using JisuDai.Risk.Rules;
using JisuDai.Risk.Scoring;

namespace JisuDai.App.Risk;

/// <summary>The fact catalogue rule sets are validated against when published: the default model's application fields and every decision fact.</summary>
public static class RuleSetCatalogs
{
    static readonly Lazy<Rules.FactCatalog> Default = new(() =>
    {
        // The default spec names the fields; the inputs' kinds come from the bundled data's columns.
        using TextReader text = DefaultModel.OpenData();
        var data = JisuDai.Risk.Data.CreditDataset.Prepare(JisuDai.Risk.Data.TabularText.Read(text, DefaultModel.DataName), DefaultModel.Options, DefaultModel.DataName);
        var inputs = data.Features.Select(f => new ModelInput(f.Name, f.Kind)).ToList();
        return DecisionFacts.Catalog(new ApplicationFeatures(inputs, DefaultModel.Spec));
    });

    /// <summary>The catalogue of the default model.</summary>
    public static Rules.FactCatalog Publishing => Default.Value;
}
