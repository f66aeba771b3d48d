using System.Text.RegularExpressions;

namespace JisuDai.App.Notifications.Templates;

/// <summary>What kind of message a template is; it decides quiet hours and opt-out.</summary>
public enum MessageCategory
{
    /// <summary>Must arrive at once and always (OTP, disbursement): no quiet hours, no opt-out.</summary>
    Transactional,
    /// <summary>About the borrower's own application or loan (reminders, receipts): opt-out respected.</summary>
    Service,
    /// <summary>Overdue and collection messages: held in quiet hours, opt-out respected.</summary>
    Collection,
    /// <summary>Offers and promotions: held in quiet hours, opt-out respected.</summary>
    Marketing,
}

/// <summary>A message template per language, with named variables written <c>{name}</c>.</summary>
/// <param name="EventType">The lifecycle event it tells about.</param>
/// <param name="Category">Its category.</param>
/// <param name="Texts">Text per language tag (zh-CN, en).</param>
public sealed partial record NotificationTemplate(string EventType, MessageCategory Category, IReadOnlyDictionary<string, string> Texts)
{
    /// <summary>The variables a language's text uses.</summary>
    public IReadOnlySet<string> Variables(string language) =>
        Placeholder().Matches(Texts[language]).Select(m => m.Groups[1].Value).ToHashSet();

    /// <summary>The text with every variable replaced; the caller has checked they are all present.</summary>
    public string Render(string language, IReadOnlyDictionary<string, string> parameters) =>
        Placeholder().Replace(Texts[language], m => parameters[m.Groups[1].Value]);

    [GeneratedRegex(@"\{([A-Za-z][A-Za-z0-9]*)\}")]
    private static partial Regex Placeholder();
}
