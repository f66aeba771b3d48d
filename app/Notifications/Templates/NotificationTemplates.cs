using JisuDai.Lending;
using JisuDai.Lending.Ledger;

namespace JisuDai.App.Notifications.Templates;

/// <summary>
/// The message templates, one per lifecycle event, in Simplified Chinese and English. A notification is
/// checked against them when it is published (queued): an unknown event or language, or a missing
/// variable, is refused there, so a garbled SMS can never reach a borrower.
/// </summary>
public static class NotificationTemplates
{
    public static readonly IReadOnlyList<string> Languages = ["zh-CN", "en"];

    public static IReadOnlyDictionary<string, NotificationTemplate> All { get; } = new NotificationTemplate[]
    {
        new("Otp", MessageCategory.Transactional, new Dictionary<string, string>
        {
            ["zh-CN"] = "【极速贷】您的验证码是{code}，{minutes}分钟内有效，请勿告诉他人。",
            ["en"] = "[JisuDai] Your code is {code}. It expires in {minutes} minutes; do not share it.",
        }),
        new("ApplicationReceived", MessageCategory.Service, new Dictionary<string, string>
        {
            ["zh-CN"] = "【极速贷】我们已收到您的借款申请（{amount}元），审核结果将尽快通知您。",
            ["en"] = "[JisuDai] We received your application for {amount} yuan and will let you know the decision soon.",
        }),
        new("ApplicationDeclined", MessageCategory.Service, new Dictionary<string, string>
        {
            ["zh-CN"] = "【极速贷】很抱歉，您的借款申请未通过（{reason}）。",
            ["en"] = "[JisuDai] We are sorry, your application was not approved ({reason}).",
        }),
        new("OfferMade", MessageCategory.Service, new Dictionary<string, string>
        {
            ["zh-CN"] = "【极速贷】您的借款已获批：{amount}元，{term}期，年化利率{apr}。请在{expires}前确认。",
            ["en"] = "[JisuDai] Approved: {amount} yuan over {term} installments at {apr} APR. Please accept by {expires}.",
        }),
        new("LoanDisbursed", MessageCategory.Transactional, new Dictionary<string, string>
        {
            ["zh-CN"] = "【极速贷】您的借款{amount}元已放款至尾号{account}的账户。",
            ["en"] = "[JisuDai] {amount} yuan has been paid to your account ending {account}.",
        }),
        new("RepaymentReminder", MessageCategory.Service, new Dictionary<string, string>
        {
            ["zh-CN"] = "【极速贷】您本期应还{amount}元，还款日为{dueDate}，请按时还款。",
            ["en"] = "[JisuDai] Your installment of {amount} yuan is due on {dueDate}.",
        }),
        new("RepaymentReceived", MessageCategory.Service, new Dictionary<string, string>
        {
            ["zh-CN"] = "【极速贷】已收到您的还款{amount}元，感谢！",
            ["en"] = "[JisuDai] We received your payment of {amount} yuan. Thank you.",
        }),
        new("PaymentOverdue", MessageCategory.Collection, new Dictionary<string, string>
        {
            ["zh-CN"] = "【极速贷】您的借款已逾期{days}天，应还{amount}元，请尽快还款以免产生更多罚息。",
            ["en"] = "[JisuDai] Your loan is {days} days overdue; {amount} yuan is due. Please pay to avoid further penalty interest.",
        }),
        new("StaffAlert", MessageCategory.Transactional, new Dictionary<string, string>
        {
            ["zh-CN"] = "【极速贷】值班告警：{kind}（{target}）。请登录管理端查看并处理。",
            ["en"] = "[JisuDai] On-call alert: {kind} ({target}). See the console and resolve it there.",
        }),
    }.ToDictionary(t => t.EventType);

    /// <summary>The rendered text, or why the notification cannot be published.</summary>
    public static Outcome<(NotificationTemplate Template, string Text)> Render(
        string eventType, string language, IReadOnlyDictionary<string, string>? parameters)
    {
        if (!All.TryGetValue(eventType, out NotificationTemplate? template))
        {
            return Outcome<(NotificationTemplate, string)>.Failure([new DomainError("template", "template-known",
                $"No template '{eventType}'; known: {string.Join(", ", All.Keys)}.")]);
        }

        if (!template.Texts.ContainsKey(language))
        {
            return Outcome<(NotificationTemplate, string)>.Failure([new DomainError("language", "language-supported",
                $"Language '{language}' is not supported; use {string.Join(" or ", Languages)}.")]);
        }

        parameters ??= new Dictionary<string, string>();
        DomainError[] missing = template.Variables(language).Where(v => !parameters.ContainsKey(v)).Order(StringComparer.Ordinal)
            .Select(v => new DomainError($"parameters.{v}", "variable-present", $"Template '{eventType}' needs '{v}'."))
            .ToArray();
        return missing.Length > 0
            ? Outcome<(NotificationTemplate, string)>.Failure(missing)
            : Outcome<(NotificationTemplate, string)>.Success((template, template.Render(language, parameters)));
    }
}
