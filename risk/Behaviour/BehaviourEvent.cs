namespace JisuDai.Risk.Behaviour;

/// <summary>The kinds of behaviour event: what an app reports, and the sign-ins the platform records itself.</summary>
public static class BehaviourKinds
{
    /// <summary>A completed sign-in, recorded by the platform (an app cannot report one).</summary>
    public const string SignIn = "sign-in";

    /// <summary>The app came to the foreground.</summary>
    public const string AppOpen = "app-open";

    /// <summary>A page was shown; <see cref="BehaviourEvent.DurationMs"/> is how long it stayed.</summary>
    public const string PageView = "page-view";

    /// <summary>A key operation (for example <c>application-form</c>) with how long it took.</summary>
    public const string Operation = "operation";

    /// <summary>The kinds an app may report.</summary>
    public static IReadOnlyList<string> FromApps { get; } = [AppOpen, PageView, Operation];

    /// <summary>The operation an app reports for filling in the loan application; its duration is the form-fill time.</summary>
    public const string ApplicationForm = "application-form";
}

/// <summary>What an app says of the device it runs on.</summary>
/// <param name="Os">Operating system, e.g. android or ios.</param>
/// <param name="OsVersion">Its version.</param>
/// <param name="Model">Device model.</param>
/// <param name="Screen">Screen size as width x height.</param>
/// <param name="TimeZone">IANA time zone the device is set to.</param>
/// <param name="Language">The device's language tag.</param>
/// <param name="Emulator">The app found itself on an emulator.</param>
/// <param name="Rooted">The app found the device rooted or jailbroken.</param>
public sealed record DeviceTraits(string? Os, string? OsVersion, string? Model, string? Screen, string? TimeZone, string? Language, bool Emulator, bool Rooted);

/// <summary>One behaviour event of a customer, as stored.</summary>
/// <param name="Kind">One of <see cref="BehaviourKinds"/>.</param>
/// <param name="At">When it happened (the app's clock, held within bounds of the platform's when received).</param>
/// <param name="Name">The page or operation.</param>
/// <param name="DurationMs">How long it took, for pages and operations.</param>
/// <param name="Device">A keyed fingerprint of the device id (the id itself is not kept).</param>
/// <param name="Address">A keyed fingerprint of the network address the event came from, as the connection gave it.</param>
/// <param name="Traits">The device's attributes.</param>
public sealed record BehaviourEvent(string Kind, DateTimeOffset At, string? Name, long? DurationMs, string? Device, string? Address, DeviceTraits? Traits);
