using JisuDai.Lending.Calendar;
using JisuDai.Risk.Checks;

namespace JisuDai.App.Behaviour;

/// <summary>
/// Which customers were seen with which device, network address and bank card, for the sharing features (customers per
/// device, address and card). Kept in the sightings store beside velocity, under their own kinds, one row per customer
/// per identifier per lender's day, so a busy customer adds a row a day, not one per event.
/// </summary>
public sealed class DeviceSightings(IVelocityStore sightings)
{
    /// <summary>The sighting kinds: device ids, network addresses and bank cards, by customer.</summary>
    public const string Device = "device-seen", Address = "address-seen", Card = "card-seen";

    /// <summary>Records that <paramref name="customerId"/> was seen with each identifier given.</summary>
    public Task RecordAsync(string customerId, DateTimeOffset at, string? device, string? address, string? card, CancellationToken cancellationToken)
    {
        string row = $"{customerId}-{LenderCalendar.DateOf(at):yyyyMMdd}";
        var seen = new Sighting(at, customerId);
        return Task.WhenAll(new[] { (Device, device), (Address, address), (Card, card) }
            .Where(s => !string.IsNullOrWhiteSpace(s.Item2))
            .Select(s => sightings.RecordAsync(s.Item1, s.Item2!, row, seen, cancellationToken)));
    }

    /// <summary>Sightings of one identifier since <paramref name="since"/>; none for no identifier.</summary>
    public async Task<IReadOnlyList<Sighting>> SeenAsync(string kind, string? value, DateTimeOffset since, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(value) ? [] : await sightings.SeenAsync(kind, value, since, cancellationToken);
}
