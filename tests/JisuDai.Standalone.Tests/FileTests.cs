using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using JisuDai.Tests;
using static JisuDai.Standalone.Tests.Borrowing;

namespace JisuDai.Standalone.Tests;

/// <summary>Borrowers' files over HTTP: uploaded, checked by their bytes, cleaned and thumbnailed or quarantined, read back only by their owner and staff.</summary>
public sealed class FileTests : IAsyncLifetime
{
    /// <summary>A 40×30 PNG carrying a text chunk with a GPS position, which the check must strip.</summary>
    static readonly byte[] Photo = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAACgAAAAeCAIAAADRv8uKAAAAHnRFWHRDb21tZW50AEdQUyAzOS45MDQyTiAxMTYuNDA3NEWGwzAmAAAI0ElEQVR42g3Noc6CUACAUZIjGJiJ5AgGZiI5goGZbnIEAzORHMHATCT2BQMzkRzBwEw3OYKBmW5yBAMzkRzBwHyK/z8vcDRNY6Qx1phomBpTjZnGXMPRWGgsNVYaQmOtsdHYaoQaO429xkEj0Ug1jhonjVzjrHHRuGpIjZvGXeOhoTSeGi+Nt0an8dH4avw0NE1npDPWmeiYOlOdmc5cx9FZ6Cx1VjpCZ62z0dnqhDo7nb3OQSfRSXWOOiedXOesc9G56kidm85d56GjdJ46L523Tqfz0fnq/PT/2GBkMDaYGJgGU4OZwdzAMVgYLA1WBsJgbbAx2BqEBjuDvcHBIDFIDY4GJ4Pc4GxwMbgaSIObwd3gYaAMngYvg7dBZ/Ax+Br8jP/YZGQyNpmYmCZTk5nJ3MQxWZgsTVYmwmRtsjHZmoQmO5O9ycEkMUlNjiYnk9zkbHIxuZpIk5vJ3eRhokyeJi+Tt0ln8jH5mvzM/9hiZDG2mFiYFlOLmcXcwrFYWCwtVhbCYm2xsdhahBY7i73FwSKxSC2OFieL3OJscbG4WkiLm8Xd4mGhLJ4WL4u3RWfxsfha/Kz/2GZkM7aZ2Jg2U5uZzdzGsVnYLG1WNsJmbbOx2dqENjubvc3BJrFJbY42J5vc5mxzsbnaSJubzd3mYaNsnjYvm7dNZ/Ox+dr87P/YYeQwdpg4mA5Th5nD3MFxWDgsHVYOwmHtsHHYOoQOO4e9w8EhcUgdjg4nh9zh7HBxuDpIh5vD3eHhoByeDi+Ht0Pn8HH4Ovyc/9hl5DJ2mbiYLlOXmcvcxXFZuCxdVi7CZe2ycdm6hC47l73LwSVxSV2OLieX3OXscnG5ukiXm8vd5eGiXJ4uL5e3S+fycfm6/Nz/2GPkMfaYeJgeU4+Zx9zD8Vh4LD1WHsJj7bHx2HqEHjuPvcfBI/FIPY4eJ4/c4+xx8bh6SI+bx93j4aE8nh4vj7dH5/Hx+Hr8vP9YMBKMBROBKZgKZoK5wBEsBEvBSiAEa8FGsBWEgp1gLzgIEkEqOApOglxwFlwEV4EU3AR3wUOgBE/BS/AWdIKP4Cv4if/YZ+Qz9pn4mD5Tn5nP3MfxWfgsfVY+wmfts/HZ+oQ+O5+9z8En8Ul9jj4nn9zn7HPxufpIn5vP3efho3yePi+ft0/n8/H5+vz8/zhgFDAOmASYAdOAWcA8wAlYBCwDVgEiYB2wCdgGhAG7gH3AISAJSAOOAaeAPOAccAm4BsiAW8A94BGgAp4Br4B3QBfwCfgG/IL/OGQUMg6ZhJgh05BZyDzECVmELENWISJkHbIJ2YaEIbuQfcghJAlJQ44hp5A85BxyCbmGyJBbyD3kEaJCniGvkHdIF/IJ+Yb8wv84YhQxjphEmBHTiFnEPMKJWEQsI1YRImIdsYnYRoQRu4h9xCEiiUgjjhGniDziHHGJuEbIiFvEPeIRoSKeEa+Id0QX8Yn4Rvyi/zhmFDOOmcSYMdOYWcw8xolZxCxjVjEiZh2zidnGhDG7mH3MISaJSWOOMaeYPOYcc4m5xsiYW8w95hGjYp4xr5h3TBfzifnG/OL/OGGUME6YJJgJ04RZwjzBSVgkLBNWCSJhnbBJ2CaECbuEfcIhIUlIE44Jp4Q84ZxwSbgmyIRbwj3hkaASngmvhHdCl/BJ+Cb8kv8YRjCGCZgwhRnMwYEFLGEFAtawgS2EsIM9HCCBFI5wghzOcIErSLjBHR6g4AkveEMHH/jCj/84Y5QxzphkmBnTjFnGPMPJWGQsM1YZImOdscnYZoQZu4x9xiEjyUgzjhmnjDzjnHHJuGbIjFvGPeORoTKeGa+Md0aX8cn4Zvyy/zhnlDPOmeSYOdOcWc48x8lZ5CxzVjkiZ52zydnmhDm7nH3OISfJSXOOOaecPOecc8m55sicW84955Gjcp45r5x3Tpfzyfnm/PL/uGBUMC6YFJgF04JZwbzAKVgULAtWBaJgXbAp2BaEBbuCfcGhIClIC44Fp4K84FxwKbgWyIJbwb3gUaAKngWvgndBV/Ap+Bb8iv+4ZFQyLpmUmCXTklnJvMQpWZQsS1YlomRdsinZloQlu5J9yaEkKUlLjiWnkrzkXHIpuZbIklvJveRRokqeJa+Sd0lX8in5lvzK/1gykowlE4kpmUpmkrnEkSwkS8lKIiRryUaylYSSnWQvOUgSSSo5Sk6SXHKWXCRXiZTcJHfJQ6IkT8lL8pZ0ko/kK/nJ/7hiVDGumFSYFdOKWcW8wqlYVCwrVhWiYl2xqdhWhBW7in3FoSKpSCuOFaeKvOJccam4VsiKW8W94lGhKp4Vr4p3RVfxqfhW/Kr/uGZUM66Z1Jg105pZzbzGqVnULGtWNaJmXbOp2daENbuafc2hJqlJa441p5q85lxzqbnWyJpbzb3mUaNqnjWvmndNV/Op+db86v9YMVKMFROFqZgqZoq5wlEsFEvFSiEUa8VGsVWEip1irzgoEkWqOCpOilxxVlwUV4VU3BR3xUOhFE/FS/FWdIqP4qv4qf+4YdQwbpg0mA3ThlnDvMFpWDQsG1YNomHdsGnYNoQNu4Z9w6EhaUgbjg2nhrzh3HBpuDbIhlvDveHRoBqeDa+Gd0PX8Gn4Nvya/7hl1DJumbSYLdOWWcu8xWlZtCxbVi2iZd2yadm2hC27ln3LoSVpSVuOLaeWvOXccmm5tsiWW8u95dGiWp4tr5Z3S9fyafm2/Nr/uGPUMe6YdJgd045Zx7zD6Vh0LDtWHaJj3bHp2HaEHbuOfcehI+lIO44dp46849xx6bh2yI5bx73j0aE6nh2vjndH1/Hp+Hb8uv+4Z9Qz7pn0mD3TnlnPvMfpWfQse1Y9omfds+nZ9oQ9u559z6En6Ul7jj2nnrzn3HPpufbInlvPvefRo3qePa+ed0/X8+n59vz6/3hgNDAemAyYA9OB2cB8wBlYDCwHVgNiYD2wGdgOhAO7gf3AYSAZSAeOA6eBfOA8cBm4DsiB28B94DGgBp4Dr4H3QDfwGfgO/Ab+ANhDnIsXFMTWAAAAAElFTkSuQmCC");

    AzuriteServer azurite = null!;

    public async Task InitializeAsync() => azurite = await AzuriteServer.StartAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string applicationId, string kind, string key, byte[] bytes, string contentType = "image/png")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"applications/{applicationId}/files?kind={kind}") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    static async Task<JsonElement> WaitForCheckAsync(HttpClient client, string fileId)
    {
        DateTime until = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            JsonElement file = await client.GetFromJsonAsync<JsonElement>($"files/{fileId}");
            if (file.GetProperty("status").GetString() != "Received")
            {
                return file;
            }

            Assert.True(DateTime.UtcNow < until, $"File {fileId} was never checked: {file}");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task A_png_is_cleaned_and_thumbnailed_an_executable_named_png_is_quarantined_and_another_customers_file_is_a_404()
    {
        await using StandaloneProcess host = StandaloneProcess.Start(new Dictionary<string, string> { ["AzureWebJobsStorage"] = azurite.ConnectionString });
        await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(60));
        await DecideAllAsync(host, "review");
        HttpClient owner = await SignUpAsync(host, "+8613800138000");
        string applicationId = await SubmitAsync(owner, "k-files");

        // The photo: received at once, accepted once checked, served re-encoded without its text chunk, with a thumbnail.
        string fileId;
        using (HttpResponseMessage uploaded = await UploadAsync(owner, applicationId, "id-card-front", "f-1", Photo))
        {
            Assert.True(uploaded.StatusCode == HttpStatusCode.Accepted, await uploaded.Content.ReadAsStringAsync());
            JsonElement received = await uploaded.Content.ReadFromJsonAsync<JsonElement>();
            fileId = received.GetProperty("id").GetString()!;
            Assert.Equal($"/api/files/{fileId}", uploaded.Headers.Location!.OriginalString);
            Assert.Equal(Photo.Length, received.GetProperty("size").GetInt64());
        }

        JsonElement photo = await WaitForCheckAsync(owner, fileId);
        Assert.Equal("Accepted", photo.GetProperty("status").GetString());
        Assert.Equal("image/png", photo.GetProperty("contentType").GetString());
        Assert.Equal((40, 30), (photo.GetProperty("width").GetInt32(), photo.GetProperty("height").GetInt32()));
        using var plain = new HttpClient();
        byte[] served = await plain.GetByteArrayAsync(photo.GetProperty("url").GetString());
        Assert.True(served.AsSpan().StartsWith(Photo.AsSpan(0, 8)), "the served file is a PNG");
        Assert.DoesNotContain("GPS", Encoding.Latin1.GetString(served));
        Assert.DoesNotContain("tEXt", Encoding.Latin1.GetString(served));
        byte[] thumbnail = await plain.GetByteArrayAsync(photo.GetProperty("thumbnailUrl").GetString());
        Assert.True(thumbnail.AsSpan().StartsWith(Photo.AsSpan(0, 8)), "the thumbnail is a PNG");

        // The link is read-only: it cannot overwrite the file.
        using (var overwrite = new HttpRequestMessage(HttpMethod.Put, photo.GetProperty("url").GetString()) { Content = new ByteArrayContent([1, 2, 3]) })
        {
            overwrite.Headers.Add("x-ms-blob-type", "BlockBlob");
            Assert.Equal(HttpStatusCode.Forbidden, (await plain.SendAsync(overwrite)).StatusCode);
        }

        // The same key and bytes again is the same file; the same key with other bytes is a conflict.
        using (HttpResponseMessage again = await UploadAsync(owner, applicationId, "id-card-front", "f-1", Photo))
        {
            Assert.Equal(fileId, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        }

        Assert.Equal(HttpStatusCode.Conflict, (await UploadAsync(owner, applicationId, "id-card-front", "f-1", [.. Photo, 0])).StatusCode);

        // An executable renamed .png: quarantined with the reason, never served.
        byte[] executable = [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0];
        string badId;
        using (HttpResponseMessage uploaded = await UploadAsync(owner, applicationId, "id-card-back", "f-2", executable))
        {
            Assert.Equal(HttpStatusCode.Accepted, uploaded.StatusCode);
            badId = (await uploaded.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }

        JsonElement bad = await WaitForCheckAsync(owner, badId);
        Assert.Equal("Quarantined", bad.GetProperty("status").GetString());
        Assert.Contains("first bytes", bad.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, bad.GetProperty("url").ValueKind);

        // Bad uploads change nothing and say why.
        foreach ((HttpResponseMessage response, string field) in new[]
        {
            (await UploadAsync(owner, applicationId, "selfie", "f-3", Photo), "kind"),
            (await UploadAsync(owner, applicationId, "income-proof", "f-4", []), "body"),
            (await UploadAsync(owner, applicationId, "income-proof", "f-5", new byte[10 * 1024 * 1024 + 1]), "body"),
        })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
        }

        // Another customer sees nothing of it and cannot add to the application; staff can read it.
        HttpClient other = host.As("c-someone-else", "applicant");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"files/{fileId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await UploadAsync(other, applicationId, "income-proof", "f-6", Photo)).StatusCode);
        Assert.Equal("Accepted", (await host.As("reviewer-1", "reviewer").GetFromJsonAsync<JsonElement>($"files/{fileId}")).GetProperty("status").GetString());
    }
}
