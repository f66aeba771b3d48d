using JisuDai.Risk.Rules;

namespace JisuDai.Risk.Tests;

/// <summary>The rule expression language: what it computes, how missing values behave, and what it refuses.</summary>
public sealed class ExpressionTests
{
    static readonly FactCatalog Catalog = new([
        ("application.age", FactType.Number), ("application.income", FactType.Number), ("application.housing", FactType.Text),
        ("checks.blacklisted", FactType.Bool), ("tier", FactType.Text),
    ]);

    static FactValue Eval(string text, Action<Facts>? set = null)
    {
        (Expression? e, var errors) = Expression.Compile(text, Catalog);
        Assert.True(e is not null, string.Join("; ", errors));
        Facts facts = Catalog.NewFacts();
        set?.Invoke(facts);
        return e.Evaluate(facts);
    }

    static void Applicant(Facts f) => f.Set("application.age", FactValue.Of(30)).Set("application.income", FactValue.Of(8000))
        .Set("application.housing", FactValue.Of("rent")).Set("checks.blacklisted", FactValue.Of(false)).Set("tier", FactValue.Of("low"));

    [Theory]
    [InlineData("application.age >= 18 and application.age <= 65", true)]
    [InlineData("application.age < 18 or application.income < 2000", false)]
    [InlineData("not checks.blacklisted", true)]
    [InlineData("application.housing in ['rent', 'free']", true)]
    [InlineData("application.housing not in ['rent', 'free']", false)]
    [InlineData("tier == 'low' and application.income / 4 > 1999.5", true)]
    [InlineData("min(application.age, 40) + max(1, 2) * 3 == 36", true)]
    [InlineData("abs(-application.age) == 30", true)]
    [InlineData("(application.age - 10) * 2 == 40", true)]
    [InlineData("application.age in [18, 30, 45]", true)]
    [InlineData("application.age != 30", false)]
    public void Conditions_evaluate_as_written(string text, bool expected)
    {
        Assert.Equal(FactValue.Of(expected), Eval(text, Applicant));
    }

    [Theory]
    [InlineData("application.age < 18", false)]
    [InlineData("application.age >= 18", false)]
    [InlineData("application.age == null", true)]
    [InlineData("application.age != null", false)]
    [InlineData("not (application.age < 18)", true)]
    [InlineData("application.housing in ['rent']", false)]
    [InlineData("application.housing not in ['rent']", false)]
    public void A_missing_fact_makes_comparisons_false_except_against_null(string text, bool expected)
    {
        Assert.Equal(FactValue.Of(expected), Eval(text));
    }

    [Fact]
    public void Arithmetic_with_a_missing_fact_or_by_zero_is_missing()
    {
        Assert.True(Eval("application.income / application.age").IsMissing);
        Assert.True(Eval("application.income / (application.age - 30)", Applicant).IsMissing);
        Assert.True(Eval("max(application.age, 3)").IsMissing);
    }

    [Theory]
    [InlineData("application.salary > 1", 0, "Unknown fact 'application.salary'.")]
    [InlineData("application.age > 'x'", 16, "'>' compares a number with text.")]
    [InlineData("application.housing < 3", 20, "'<' compares text with a number.")]
    [InlineData("application.age and true", 16, "'and' needs true/false, not a number.")]
    [InlineData("application.age >", 17, "The expression ended too soon.")]
    [InlineData("application.age > 1 1", 20, "Unexpected '1'.")]
    [InlineData("application.age in 3", 16, "'in' needs a list on its right, like ['a', 'b'].")]
    [InlineData("application.age in ['a']", 16, "'in' compares a number with a list of text.")]
    [InlineData("application.age > 1; drop", 19, "Unexpected character ';'.")]
    [InlineData("System.IO.File.Delete('x')", 0, "Unknown fact 'System.IO.File.Delete'.")]
    [InlineData("'unclosed", 0, "A text is not closed.")]
    [InlineData("application.age < null", 16, "null can only be compared with == or !=.")]
    public void Bad_expressions_are_refused_with_the_position_and_the_reason(string text, int position, string message)
    {
        (Expression? e, var errors) = Expression.Compile(text, Catalog);

        Assert.Null(e);
        Assert.Equal(new ExpressionError(position, message), Assert.Single(errors));
    }

    [Fact]
    public void A_compiled_expression_knows_its_type_and_the_facts_it_reads()
    {
        (Expression? e, _) = Expression.Compile("application.income / 2 + application.age", Catalog);

        Assert.Equal(FactType.Number, e!.Type);
        Assert.Equal(["application.income", "application.age"], e.Reads);
    }

    [Fact]
    public void Deep_or_long_expressions_are_refused_with_a_position_not_a_stack_overflow()
    {
        string nested(int depth) => new string('(', depth) + "application.age > 1" + new string(')', depth);
        Assert.NotNull(Expression.Compile(nested(20), Catalog).Expression);

        foreach (string text in new[] { nested(40), nested(900), string.Concat(Enumerable.Repeat("not ", 40)) + "checks.blacklisted", new string('-', 500) + "application.age > 1" })
        {
            (Expression? e, var errors) = Expression.Compile(text, Catalog);
            Assert.Null(e);
            Assert.Contains("deeper than 32", Assert.Single(errors).Message);
        }

        string longOne = string.Join(" or ", Enumerable.Repeat("application.age > 1", 120));
        (Expression? tooLong, var why) = Expression.Compile(longOne, Catalog);
        Assert.Null(tooLong);
        Assert.Contains("at most 2000 characters", Assert.Single(why).Message);
    }
}
