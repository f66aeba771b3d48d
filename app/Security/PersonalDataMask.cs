namespace JisuDai.App.Security;

/// <summary>How personal data shows where it must be recognisable but not readable: audit records and staff screens.</summary>
public static class PersonalDataMask
{
    /// <summary>A resident ID number: region and check digits only, e.g. 1101**********0011.</summary>
    public static string IdNumber(string value) => value.Length > 8 ? $"{value[..4]}**********{value[^4..]}" : "****";

    /// <summary>A name: its first character only.</summary>
    public static string Name(string value) => value.Length > 0 ? $"{value[0]}**" : "";
}
