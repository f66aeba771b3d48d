using JisuDai.App.Notifications.Templates;
using JisuDai.Lending;
using JisuDai.Lending.Ledger;
using JisuDai.Risk.Rules;

namespace JisuDai.Functions.Tests.Notifications;

public sealed class TemplateTests
{
    static readonly Dictionary<string, string> Disbursed = new() { ["amount"] = "10,000.00", ["account"] = "6789" };

    [Fact]
    public void A_template_renders_in_Chinese_and_in_English()
    {
        Assert.Equal("【极速贷】您的借款10,000.00元已放款至尾号6789的账户。", NotificationTemplates.Render("LoanDisbursed", "zh-CN", Disbursed).Value.Text);
        Assert.Equal("[JisuDai] 10,000.00 yuan has been paid to your account ending 6789.", NotificationTemplates.Render("LoanDisbursed", "en", Disbursed).Value.Text);
    }

    [Fact]
    public void A_missing_variable_is_refused_at_publish_time_naming_it()
    {
        Outcome<(NotificationTemplate, string)> outcome = NotificationTemplates.Render("OfferMade", "en", new Dictionary<string, string> { ["amount"] = "5,000.00", ["term"] = "12" });

        Assert.Equal(["parameters.apr", "parameters.expires"], outcome.Errors.Select(e => e.Field));
        Assert.All(outcome.Errors, e => Assert.Equal("variable-present", e.Rule));
    }

    [Theory]
    [InlineData("LoanExploded", "en", "template")]
    [InlineData("LoanDisbursed", "fr", "language")]
    public void An_unknown_template_or_language_is_refused(string eventType, string language, string field) =>
        Assert.Equal(field, NotificationTemplates.Render(eventType, language, Disbursed).Errors.Single().Field);

    [Fact]
    public void Every_template_has_both_languages_with_the_same_variables()
    {
        foreach (NotificationTemplate template in NotificationTemplates.All.Values)
        {
            Assert.Equal(NotificationTemplates.Languages.Order(), template.Texts.Keys.Order());
            Assert.Equal(template.Variables("zh-CN").Order(), template.Variables("en").Order());
        }
    }
}

public sealed class SendingRulesTests
{
    static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    static DateTimeOffset Beijing(int day, int hour, int minute = 0) => new(2026, 11, day, hour, minute, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData(25, 21, 0, 26)] // 21:00 is quiet: hold until tomorrow 08:00
    [InlineData(25, 23, 30, 26)]
    [InlineData(26, 2, 0, 26)] // after midnight: hold until 08:00 the same day
    [InlineData(26, 7, 59, 26)]
    public void Collection_messages_in_quiet_hours_are_held_until_eight_in_the_morning(int day, int hour, int minute, int heldUntilDay)
    {
        SendingDecision decision = SendingRules.Decide(MessageCategory.Collection, false, Beijing(day, hour, minute), Shanghai);

        Assert.Equal(new SendingDecision.HoldUntil(Beijing(heldUntilDay, 8)), decision);
    }

    [Theory]
    [InlineData(8, 0)]
    [InlineData(20, 59)]
    public void Collection_messages_outside_quiet_hours_go_now(int hour, int minute) =>
        Assert.IsType<SendingDecision.SendNow>(SendingRules.Decide(MessageCategory.Marketing, false, Beijing(25, hour, minute), Shanghai));

    [Fact]
    public void Transactional_messages_go_at_once_even_at_night_and_even_when_opted_out() =>
        Assert.IsType<SendingDecision.SendNow>(SendingRules.Decide(MessageCategory.Transactional, true, Beijing(25, 23), Shanghai));

    [Theory]
    [InlineData(MessageCategory.Service)]
    [InlineData(MessageCategory.Collection)]
    [InlineData(MessageCategory.Marketing)]
    public void An_opted_out_recipient_gets_no_other_message(MessageCategory category) =>
        Assert.IsType<SendingDecision.Skip>(SendingRules.Decide(category, true, Beijing(25, 12), Shanghai));

    [Fact]
    public void Quiet_hours_follow_Shanghai_time_whatever_the_servers_zone()
    {
        // 13:30 UTC is 21:30 in Shanghai.
        SendingDecision decision = SendingRules.Decide(MessageCategory.Collection, false, new DateTimeOffset(2026, 11, 25, 13, 30, 0, TimeSpan.Zero), Shanghai);
        Assert.Equal(new SendingDecision.HoldUntil(Beijing(26, 8)), decision);
    }
}
