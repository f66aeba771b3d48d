using System.Text.RegularExpressions;

namespace JisuDai.App.Notifications;

/// <summary>Email addresses as recipients: a plain addr-spec check (no display names, no quoting), and the mask logs show.</summary>
public static partial class EmailAddress
{
    /// <summary>True for one address such as oncall@lender.example: a local part, an @, a dotted domain.</summary>
    public static bool IsValid(string? address) => address is { Length: <= 254 } && Shape().IsMatch(address);

    /// <summary>The first letter of the local part and the domain: o***@lender.example.</summary>
    public static string Mask(string address) =>
        address.IndexOf('@') is var at and > 0 ? address[0] + "***" + address[at..] : "***";

    [GeneratedRegex(@"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\z")]
    private static partial Regex Shape();
}
