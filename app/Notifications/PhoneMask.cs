namespace JisuDai.App.Notifications;

/// <summary>Phone numbers in logs show only their last four digits.</summary>
public static class PhoneMask
{
    public static string Mask(string phone) =>
        phone.Length <= 4 ? new string('*', phone.Length) : new string('*', phone.Length - 4) + phone[^4..];
}
