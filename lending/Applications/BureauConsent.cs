namespace JisuDai.Lending.Applications;

/// <summary>
/// The applicant's authorisation to ask a credit bureau about them for this application (征信查询授权), as given:
/// which text they agreed to, when, from where and on which device.
/// </summary>
/// <param name="TextVersion">The version of the authorisation text agreed to.</param>
/// <param name="At">When.</param>
/// <param name="Address">The network address the submission came from.</param>
/// <param name="Device">The device the applicant's app named.</param>
public sealed record BureauConsent(string TextVersion, DateTimeOffset At, string? Address, string? Device);
