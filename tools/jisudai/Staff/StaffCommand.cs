using System.CommandLine;
using System.Text.Json;

namespace JisuDai.Tools.Staff;

/// <summary><c>jisudai staff requests|approve|reject</c>: the second person's side of four eyes, over the app's API.</summary>
static class StaffCommand
{
    public static Command Create()
    {
        Option<string> api = StaffApi.ApiOption();
        Option<string?> token = StaffApi.TokenOption();

        var requests = new Command("requests", "Lists the staff requests waiting for a second person, oldest first.");
        requests.SetAction((parse, ct) => StaffApi.SendAsync(parse, api, token, HttpMethod.Get, "staff-requests", null, body =>
            string.Join('\n', body.EnumerateArray().Select(r =>
                $"{r.GetProperty("id").GetString()}  {r.GetProperty("power").GetString(),-22} {r.GetProperty("target").GetString(),-30} by {r.GetProperty("proposedBy").GetString()}  digest {r.GetProperty("digest").GetString()}"))
                is { Length: > 0 } listed ? listed : "Nothing waits for a second person.", ct));

        var id = new Argument<string>("id") { Description = "The staff request." };
        var digest = new Option<string>("--digest") { Description = "The request's digest, as its proposal printed it: you approve exactly what was proposed.", Required = true };
        var approve = new Command("approve", "Approves a staff request someone else proposed; it is carried out at once.") { id, digest };
        approve.SetAction((parse, ct) => StaffApi.SendAsync(parse, api, token, HttpMethod.Post, $"staff-requests/{Uri.EscapeDataString(parse.GetValue(id)!)}/approval",
            StaffApi.Json(new { digest = parse.GetValue(digest) }), body => $"Approved and carried out: {JsonSerializer.Serialize(body.GetProperty("result"))}", ct));

        var reasonId = new Argument<string>("id") { Description = "The staff request." };
        var reason = new Option<string>("--reason") { Description = "Why (at most 200 characters).", Required = true };
        var reject = new Command("reject", "Turns a staff request down (an approver, or its proposer withdrawing it).") { reasonId, reason };
        reject.SetAction((parse, ct) => StaffApi.SendAsync(parse, api, token, HttpMethod.Post, $"staff-requests/{Uri.EscapeDataString(parse.GetValue(reasonId)!)}/rejection",
            StaffApi.Json(new { reason = parse.GetValue(reason) }), _ => "Rejected.", ct));

        return new Command("staff", "Four eyes over the app's API: requests waiting for a second person, approve, reject.") { api, token, requests, approve, reject };
    }
}
