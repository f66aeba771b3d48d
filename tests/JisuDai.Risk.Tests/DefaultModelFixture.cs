using JisuDai.Risk.Data;
using JisuDai.Risk.Defaults;
using JisuDai.Risk.Models;

namespace JisuDai.Risk.Tests;

/// <summary>The default model, trained once for the tests that read it, and the bundled data it was trained on.</summary>
public sealed class DefaultModelFixture
{
    public DefaultModelFixture()
    {
        Bundle = DefaultModel.Train();
        using TextReader text = DefaultModel.OpenData();
        Data = CreditDataset.Prepare(TabularText.Read(text, DefaultModel.DataName), DefaultModel.Options, DefaultModel.DataName);
    }

    public ModelBundle Bundle { get; }

    public CreditDataset Data { get; }
}

[CollectionDefinition(Name)]
public sealed class DefaultModelCollection : ICollectionFixture<DefaultModelFixture>
{
    public const string Name = "default model";
}
