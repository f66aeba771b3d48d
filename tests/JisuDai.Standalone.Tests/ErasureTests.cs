using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using JisuDai.Tests;
using static JisuDai.Standalone.Tests.Borrowing;

namespace JisuDai.Standalone.Tests;

/// <summary>
/// The right to erasure over HTTP: refused while an application is open, then processing is restricted at once, and
/// the next retention run shreds the data, after which no plaintext of the person is left anywhere the app writes.
/// </summary>
public sealed class ErasureTests : IAsyncLifetime
{
    const string Phone = "+8613700137000";
    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    [Fact]
    public async Task An_erasure_restricts_processing_at_once_and_the_retention_run_leaves_no_plaintext_of_the_person_in_tables_blobs_queues_or_logs()
    {
        string card = CardOf(Phone);
        object application = new
        {
            name = "Qian Duoduo", idNumber = "110101198506150027", phone = Phone, bankAccount = card, monthlyIncome = 15000, employmentYears = 6,
            housing = "own", monthlyDebtPayments = 500, existingLoans = 1, productCode = "express", amount = 20000, termMonths = 12, purpose = "used-car", deviceId = "dev-erase",
        };
        string firstLogs;
        string applicationId;
        AuthenticationHeaderValue? token;
        await using (StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString }))
        {
            await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
            await DecideAllAsync(host, "review");
            HttpClient customer = await SignUpAsync(host, Phone, "dev-erase");
            token = customer.DefaultRequestHeaders.Authorization;
            applicationId = await SubmitAsync(customer, "k-erase", application);
            await WaitForStatusAsync(host, customer, applicationId, "InReview");
            using (var upload = new HttpRequestMessage(HttpMethod.Post, $"applications/{applicationId}/files?kind=id-card-front") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes("%PDF-1.4 Qian Duoduo 110101198506150027\n%%EOF")) })
            {
                upload.Content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
                upload.Headers.Add("Idempotency-Key", "f-erase");
                using HttpResponseMessage uploaded = await customer.SendAsync(upload);
                Assert.True(uploaded.StatusCode == HttpStatusCode.Accepted, await uploaded.Content.ReadAsStringAsync());
            }

            using (HttpResponseMessage events = await customer.PostAsJsonAsync("events", new { events = new[] { new { id = "e-1", kind = "app-open", at = DateTimeOffset.UtcNow, device = new { id = "dev-erase", os = "android" } } } }))
            {
                Assert.True(events.IsSuccessStatusCode, await events.Content.ReadAsStringAsync());
            }

            // Export, four eyes: a reviewer proposes, cannot approve it alone, nor download it before an admin approves.
            string customerId = (await customer.GetFromJsonAsync<JsonElement>("customers/me")).GetProperty("customerId").GetString()!;
            using HttpClient reviewer = host.As("reviewer-9", JisuDai.App.Security.Roles.Reviewer);
            Assert.Equal(HttpStatusCode.BadRequest, (await reviewer.PostAsJsonAsync($"customers/{customerId}/exports", new { reason = "" })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await reviewer.PostAsJsonAsync("customers/no-such-customer/exports", new { reason = "ticket 42" })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await customer.PostAsJsonAsync($"customers/{customerId}/exports", new { reason = "me" })).StatusCode);
            JsonElement exportRequest = await RequestOf(await reviewer.PostAsJsonAsync($"customers/{customerId}/exports", new { reason = "subject access request, ticket 42" }));
            string exportId = exportRequest.GetProperty("id").GetString()!;
            using (HttpResponseMessage early = await reviewer.GetAsync($"customers/{customerId}/export?request={exportId}"))
            {
                Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
            }

            using (HttpResponseMessage self = await reviewer.PostAsJsonAsync($"staff-requests/{exportId}/approval", new { digest = exportRequest.GetProperty("digest").GetString() }))
            {
                Assert.Equal(HttpStatusCode.Forbidden, self.StatusCode);
            }

            JsonElement grant = await ApproveAsync(host, exportRequest);
            Assert.Equal($"/api/customers/{customerId}/export?request={exportId}", grant.GetProperty("href").GetString());
            Assert.Equal(HttpStatusCode.Forbidden, (await host.As("admin-3", JisuDai.App.Security.Roles.Admin).GetAsync($"customers/{customerId}/export?request={exportId}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await reviewer.GetAsync($"customers/someone-else/export?request={exportId}")).StatusCode);
            using (HttpResponseMessage download = await reviewer.GetAsync($"customers/{customerId}/export?request={exportId}"))
            {
                string json = await download.Content.ReadAsStringAsync();
                Assert.True(download.StatusCode == HttpStatusCode.OK, json);
                Assert.Equal("no-store", download.Headers.CacheControl!.ToString());
                Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
                JsonElement data = JsonDocument.Parse(json).RootElement;
                Assert.Equal(("reviewer-9", "admin-2"), (data.GetProperty("proposedBy").GetString(), data.GetProperty("approvedBy").GetString()));
                JsonElement exported = data.GetProperty("applications").EnumerateArray().Single();
                Assert.Equal(applicationId, exported.GetProperty("application").GetProperty("id").GetString());
                Assert.Equal(("Qian Duoduo", "110101198506150027", card), (exported.GetProperty("identity").GetProperty("name").GetString(),
                    exported.GetProperty("identity").GetProperty("idNumber").GetString(), exported.GetProperty("identity").GetProperty("bankAccount").GetString()));
                Assert.Single(data.GetProperty("files").EnumerateArray());
                Assert.Contains(data.GetProperty("behaviourEvents").EnumerateArray(), e => e.GetProperty("kind").GetString() == "app-open");
                Assert.Contains(data.GetProperty("signIns").EnumerateArray(), e => e.GetProperty("device").GetString() == "dev-erase");
                Assert.DoesNotContain("secretHash", json, StringComparison.OrdinalIgnoreCase);
            }

            JsonElement audit = await host.Client.GetFromJsonAsync<JsonElement>("audit?count=20");
            Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetProperty("action").GetString() == "download CustomerDataExport"
                && e.GetProperty("action").GetProperty("actor").GetString() == "reviewer-9");

            // Refused while the application is being decided: it could still become a loan.
            using (HttpResponseMessage refused = await customer.PostAsync("customers/me/erasure", null))
            {
                Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
                Assert.Contains("InReview", await refused.Content.ReadAsStringAsync());
            }

            Assert.True((await customer.PostAsync($"applications/{applicationId}/cancel", null)).IsSuccessStatusCode);
            await WaitForStatusAsync(host, customer, applicationId, "Cancelled");

            using HttpResponseMessage requested = await customer.PostAsync("customers/me/erasure", null);
            Assert.True(requested.StatusCode == HttpStatusCode.Accepted, await requested.Content.ReadAsStringAsync());
            JsonElement erasure = await requested.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("restricted", erasure.GetProperty("status").GetString());
            Assert.True(erasure.GetProperty("shredAfter").GetDateTimeOffset() <= DateTimeOffset.UtcNow, "No loan was booked: nothing must be kept.");

            // Restricted: no new application, and asking again answers the same request.
            using (var again = new HttpRequestMessage(HttpMethod.Post, "applications") { Content = JsonContent.Create(application) })
            {
                again.Headers.Add("Idempotency-Key", "k-erase-2");
                Assert.Equal(HttpStatusCode.Forbidden, (await customer.SendAsync(again)).StatusCode);
            }

            Assert.Equal(erasure.GetProperty("requestedAt").GetDateTimeOffset(), (await (await customer.PostAsync("customers/me/erasure", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requestedAt").GetDateTimeOffset());
            firstLogs = host.Output;
        }

        // The nightly retention run, made to come every 2 s.
        await using (StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString, ["PurgeHistorySchedule"] = "*/2 * * * * *" }))
        {
            await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
            for (int i = 0; i < 150 && !host.Output.Contains("CustomersShredded = 1", StringComparison.Ordinal); i++)
            {
                await Task.Delay(200);
            }

            Assert.Contains("CustomersShredded = 1", host.Output);
            // Still signed in from before the restart (a new code would wait out the resend interval).
            using var customer = new HttpClient { BaseAddress = host.Anonymous.BaseAddress };
            customer.DefaultRequestHeaders.Authorization = token;
            JsonElement profile = await customer.GetFromJsonAsync<JsonElement>("customers/me");
            Assert.Equal("shredded", profile.GetProperty("erasure").GetProperty("status").GetString());
            Assert.Empty(profile.GetProperty("identity").EnumerateObject());
            // Staff still see the application (pseudonymised), but its sealed identity no longer opens for anyone: the data key is gone.
            Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync($"applications/{applicationId}")).StatusCode);
            string customerId = profile.GetProperty("customerId").GetString()!;
            TableClient dataKeys = new TableServiceClient(azurite.ConnectionString).GetTableClient("datakeys");
            await foreach (TableEntity key in dataKeys.QueryAsync<TableEntity>(k => k.PartitionKey == customerId))
            {
                Assert.Fail($"The data key {key.PartitionKey}/{key.RowKey} is still there.");
            }

            string[] plaintext = ["Qian Duoduo", "110101198506150027", "13700137000", card];
            foreach (string found in await EverythingWrittenAsync())
            {
                foreach (string value in plaintext)
                {
                    Assert.False(found.Contains(value, StringComparison.OrdinalIgnoreCase), $"'{value}' is still in {found[..Math.Min(found.Length, 300)]}");
                }
            }

            // An export now shows what is left: the application, its identity unreadable.
            using HttpClient reviewer = host.As("reviewer-9", JisuDai.App.Security.Roles.Reviewer);
            JsonElement exportRequest = await RequestOf(await reviewer.PostAsJsonAsync($"customers/{customerId}/exports", new { reason = "after erasure, ticket 43" }));
            await ApproveAsync(host, exportRequest);
            string json = await reviewer.GetStringAsync($"customers/{customerId}/export?request={exportRequest.GetProperty("id").GetString()}");
            JsonElement exported = JsonDocument.Parse(json).RootElement.GetProperty("applications").EnumerateArray().Single();
            Assert.True(exported.GetProperty("identityErased").GetBoolean());
            Assert.Equal(JsonValueKind.Null, exported.GetProperty("identity").ValueKind);
            foreach (string value in plaintext)
            {
                Assert.DoesNotContain(value, json);
                Assert.DoesNotContain(value, firstLogs + host.Output);
            }
        }
    }

    /// <summary>Every row of every table, every blob and every queued message in the storage account, as text.</summary>
    async Task<List<string>> EverythingWrittenAsync()
    {
        var found = new List<string>();
        var tables = new TableServiceClient(azurite.ConnectionString);
        await foreach (var table in tables.QueryAsync())
        {
            await foreach (TableEntity row in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                found.Add($"table {table.Name}: " + JsonSerializer.Serialize(row.ToDictionary(p => p.Key, p => p.Value?.ToString())));
            }
        }

        var blobs = new BlobServiceClient(azurite.ConnectionString);
        await foreach (var container in blobs.GetBlobContainersAsync())
        {
            BlobContainerClient client = blobs.GetBlobContainerClient(container.Name);
            await foreach (var blob in client.GetBlobsAsync())
            {
                found.Add($"blob {container.Name}/{blob.Name}: " + Encoding.UTF8.GetString((await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray()));
            }
        }

        var queues = new QueueServiceClient(azurite.ConnectionString);
        await foreach (var queue in queues.GetQueuesAsync())
        {
            foreach (var message in (await queues.GetQueueClient(queue.Name).PeekMessagesAsync(32)).Value)
            {
                string text = message.Body.ToString();
                try
                {
                    text += Encoding.UTF8.GetString(Convert.FromBase64String(text));
                }
                catch (FormatException)
                {
                }

                found.Add($"queue {queue.Name}: {text}");
            }
        }

        Assert.NotEmpty(found);
        return found;
    }
}
