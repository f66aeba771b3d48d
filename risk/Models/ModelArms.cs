using System.Buffers.Binary;

namespace JisuDai.Risk.Models;

/// <summary>
/// Champion/challenger: which model decides a customer's applications. The customer's arm comes from a keyed digest of
/// their id and the challenger's version (<see cref="Assign"/>): the same customer is in the same arm for as long as that
/// challenger runs, a new challenger draws the arms afresh, and nobody without the key can predict or steer the draw.
/// </summary>
public static class ModelArms
{
    /// <summary>The arm of the champion.</summary>
    public const string Champion = "champion";

    /// <summary>The arm of the challenger.</summary>
    public const string Challenger = "challenger";

    /// <summary>The largest share of customers a challenger may decide for: the champion keeps the majority.</summary>
    public const double MaxTrafficShare = 0.5;

    /// <summary>True when <paramref name="share"/> is a challenger's traffic share: 0 (shadow only) to <see cref="MaxTrafficShare"/>.</summary>
    public static bool IsTrafficShare(double share) => share is >= 0 and <= MaxTrafficShare;

    /// <summary>What a request with no valid traffic share is told.</summary>
    public static string TrafficShareRequired { get; } = $"trafficShare is required: the share of customers the challenger decides for, from 0 (shadow only) to {MaxTrafficShare}.";

    /// <summary>
    /// The arm of the customer whose keyed digest is <paramref name="digest"/> (at least 8 bytes, uniformly random to
    /// anyone without the key): the challenger's when the digest's first 8 bytes, read as a fraction of 2^64, fall below
    /// <paramref name="trafficShare"/>.
    /// </summary>
    public static string Assign(ReadOnlySpan<byte> digest, double trafficShare)
    {
        if (digest.Length < 8)
        {
            throw new ArgumentException("The digest must be at least 8 bytes.", nameof(digest));
        }

        double draw = BinaryPrimitives.ReadUInt64BigEndian(digest) / 18446744073709551616.0;
        return draw < trafficShare ? Challenger : Champion;
    }

    /// <summary>What is digested for a customer's draw under a challenger: the model, the challenger version and the customer.</summary>
    public static string DrawInput(string modelName, string challengerVersion, string customerId) => $"arm|{modelName}|{challengerVersion}|{customerId}";
}
