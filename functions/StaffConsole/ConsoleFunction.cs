using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.StaffConsole;

/// <summary>
/// <c>GET /api/console/{*path}</c>: the staff console (管理端), a single page served by the app itself in both hosts,
/// so in Azure it shares the API's origin and App Service authentication's sign-in cookie. Anonymous: the page holds
/// no data; every call it makes checks the caller's role as any client's does.
/// </summary>
public sealed class ConsoleFunction(ConsoleFiles files)
{
    // Element Plus sets inline styles; nothing else is allowed from anywhere but the app's own origin.
    const string Policy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    [Function("Console")]
    [Anyone]
    [Answers(200, Description = "The console's page or one of its files (HTML, JavaScript, CSS, images), as built.")]
    [Answers(302, Description = "The console's folder asked for without its trailing slash: redirected to it.")]
    [Answers(404, Description = "No such file, or the console was not built into this app.")]
    public IActionResult Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "console/{*path}")] HttpRequest request,
        string? path)
    {
        if (string.IsNullOrEmpty(path) && !request.Path.Value!.EndsWith('/'))
        {
            // The page's assets are relative to the folder, so the page itself is always asked for with the slash.
            return new RedirectResult($"{request.PathBase}{request.Path}/", permanent: false);
        }

        if (files.Find(path) is not { } file)
        {
            return Problems.NotFound(files.Built ? $"The console has no file '{path}'." : "The console was not built into this app (npm is needed at build time).");
        }

        request.HttpContext.Response.Headers.CacheControl = file.CacheControl;
        request.HttpContext.Response.Headers.ContentSecurityPolicy = Policy;
        request.HttpContext.Response.Headers.XContentTypeOptions = "nosniff";
        return new FileContentResult(file.Content, file.ContentType);
    }
}
