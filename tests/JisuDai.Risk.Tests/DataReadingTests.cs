using JisuDai.Risk.Data;

namespace JisuDai.Risk.Tests;

/// <summary>Reading CSV and ARFF, and refusing data that cannot be trained on with a message that says where.</summary>
public sealed class DataReadingTests
{
    static CreditDataset Prepare(string csv, string label = "outcome", string bad = "bad", params string[] ignore) =>
        CreditDataset.Prepare(TabularText.Read(new StringReader(csv), "loans.csv"), new DatasetOptions(label, bad, ignore), "loans.csv");

    static string Rows(int n, Func<int, string> row) => string.Join("\n", Enumerable.Range(0, n).Select(row));

    [Fact]
    public void The_same_data_as_CSV_and_as_ARFF_reads_the_same_and_hashes_the_same()
    {
        const string csv = "income,housing,outcome\n1200,own,good\n\"800\",\"rent, shared\",bad\n,own,good\n950,?,bad\n";
        const string arff = """
            % comment
            @relation loans
            @attribute income numeric
            @attribute housing {own, 'rent, shared'}
            @attribute outcome {good, bad}
            @data
            1200,own,good
            800,'rent, shared',bad
            ?,own,good
            950,?,bad
            """;

        CreditDataset fromCsv = Prepare(csv);
        CreditDataset fromArff = CreditDataset.Prepare(TabularText.Read(new StringReader(arff), "loans.arff"), new DatasetOptions("outcome", "bad", []), "loans.arff");

        Assert.Equal(fromCsv.DataHash, fromArff.DataHash);
        Assert.Equal([false, true, false, true], fromArff.Bad);
        FeatureColumn income = fromArff.Features.Single(f => f.Name == "income");
        Assert.Equal(FeatureKind.Numeric, income.Kind);
        Assert.True(double.IsNaN(income.Numbers![2]));
        FeatureColumn housing = fromCsv.Features.Single(f => f.Name == "housing");
        Assert.Equal(FeatureKind.Categorical, housing.Kind);
        Assert.Equal(new string?[] { "own", "rent, shared", "own", null }, housing.Categories!.AsEnumerable());
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_fields_is_refused_with_its_line_number()
    {
        var e = Assert.Throws<CreditDataException>(() => Prepare("income,housing,outcome\n1200,own,good\n800,rent\n"));
        Assert.Equal("loans.csv, line 3: expected 3 fields but found 2.", e.Message);
    }

    [Fact]
    public void A_missing_label_column_names_the_columns_there_are()
    {
        var e = Assert.Throws<CreditDataException>(() => Prepare("income,housing,default\n1200,own,good\n800,rent,bad\n"));
        Assert.Contains("there is no column 'outcome' (from --label). Columns: income, housing, default.", e.Message);
    }

    [Fact]
    public void One_class_only_is_refused_and_the_values_seen_are_shown()
    {
        var e = Assert.Throws<CreditDataException>(() => Prepare("income,outcome\n1200,good\n800,good\n", bad: "default"));
        Assert.Contains("only one class", e.Message);
        Assert.Contains("'good'", e.Message);
    }

    [Fact]
    public void An_all_missing_column_is_refused_by_name()
    {
        var e = Assert.Throws<CreditDataException>(() => Prepare("income,notes,outcome\n1200,,good\n800,NA,bad\n"));
        Assert.Contains("column 'notes' has no values in any row", e.Message);
    }

    [Fact]
    public void A_missing_label_is_refused_with_its_line_number()
    {
        var e = Assert.Throws<CreditDataException>(() => Prepare("income,outcome\n1200,good\n800,\n900,bad\n"));
        Assert.Equal("loans.csv, line 3: the label 'outcome' is missing.", e.Message);
    }

    [Fact]
    public void A_constant_column_and_an_ID_column_are_dropped_with_warnings_and_ignored_columns_are_left_out()
    {
        string csv = "id,branch,region,income,outcome\n" + Rows(30, i => $"A{i:000},main,{(i % 2 == 0 ? "north" : "south")},{1000 + i * 10},{(i % 3 == 0 ? "bad" : "good")}");

        CreditDataset data = Prepare(csv, ignore: "region");

        Assert.Equal(["income"], data.Features.Select(f => f.Name));
        Assert.Contains(data.Warnings, w => w.Contains("'branch' has the same value in every row"));
        Assert.Contains(data.Warnings, w => w.Contains("'id' has a different value in every row"));
    }

    [Fact]
    public void A_numeric_ARFF_attribute_with_text_is_refused_with_its_line()
    {
        const string arff = "@relation x\n@attribute income numeric\n@attribute outcome {good,bad}\n@data\n100,good\nlots,bad\n";
        var e = Assert.Throws<CreditDataException>(() =>
            CreditDataset.Prepare(TabularText.Read(new StringReader(arff), "x.arff"), new DatasetOptions("outcome", "bad", []), "x.arff"));
        Assert.Equal("x.arff, line 6: column 'income' is numeric but has 'lots'.", e.Message);
    }
}
