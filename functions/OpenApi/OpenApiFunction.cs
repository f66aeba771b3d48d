using System.Text.Json.Nodes;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.OpenApi;

/// <summary><c>GET /api/openapi.json</c>: the API's contract (<see cref="ApiDocument"/>), made once per process.</summary>
public sealed class OpenApiFunction
{
    static readonly Lazy<string> Document = new(() => ApiDocument.Build(typeof(OpenApiFunction).Assembly, "api").ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));

    [Function("OpenApiDocument")]
    [Anyone]
    [Answers(200, typeof(JsonObject), Description = "The OpenAPI 3.1 document of every HTTP function.")]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request)
    {
        request.HttpContext.Response.Headers.CacheControl = "no-cache";
        return new ContentResult { Content = Document.Value, ContentType = "application/json; charset=utf-8", StatusCode = 200 };
    }
}
