using JisuDai.Lending.Calendar;
using JisuDai.Lending.Customers;
using JisuDai.Lending.Documents;
using JisuDai.Risk.Behaviour;
using JisuDai.Risk.Checks;

namespace JisuDai.App.Behaviour;

/// <summary>
/// A customer's behaviour and device features as of a decision: their events of the last 180 days, their sign-up, and
/// who else was seen with the application's device, address and card. For a real application the customer is first
/// recorded as seen with those, so the counts include this application.
/// </summary>
public sealed class BehaviourProfiles(IBehaviourEvents events, DeviceSightings sightings, IDocumentStore<Customer> customers, BehaviourDesk desk)
{
    static readonly TimeSpan Month = TimeSpan.FromDays(30);

    /// <summary>The features of <paramref name="customerId"/> applying as <paramref name="applicant"/> at <paramref name="now"/>.</summary>
    public async Task<BehaviourFeatures> AsOfAsync(string customerId, ApplicantIdentity applicant, string? card, DateTimeOffset now, bool record, CancellationToken cancellationToken)
    {
        if (record)
        {
            await sightings.RecordAsync(customerId, now, applicant.DeviceId, applicant.Ip, card, cancellationToken);
        }

        DateTimeOffset since = now - BehaviourFeatures.LookBack;
        Task<IReadOnlyList<BehaviourEvent>> history = events.ListAsync(customerId, since, cancellationToken);
        Task<Versioned<Customer>?> customer = customers.FindAsync(customerId, customerId, cancellationToken);
        Task<IReadOnlyList<Sighting>> device = sightings.SeenAsync(DeviceSightings.Device, applicant.DeviceId, since, cancellationToken);
        Task<IReadOnlyList<Sighting>> address = sightings.SeenAsync(DeviceSightings.Address, applicant.Ip, now - Month, cancellationToken);
        Task<IReadOnlyList<Sighting>> cardSeen = sightings.SeenAsync(DeviceSightings.Card, card, now - Month, cancellationToken);
        await Task.WhenAll(history, customer, device, address, cardSeen);
        return BehaviourFeatures.Of(now, (await customer)?.Document.RegisteredAt, await history, desk.Fingerprint("device", applicant.DeviceId),
            await device, await address, await cardSeen, at => LenderCalendar.Zone.GetUtcOffset(at));
    }
}
