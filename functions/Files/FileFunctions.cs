using JisuDai.App.Files;
using JisuDai.App.Security;
using JisuDai.Functions.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.Files;

/// <summary>
/// Borrowers' files: <c>POST /api/applications/{id}/files?kind=id-card-front</c> with the file's bytes as the body (and
/// <c>Idempotency-Key</c>) answers 202 with the file, received; <c>GET /api/files/{id}</c> shows it to its owner and staff,
/// with 5-minute read links once accepted. The checks run from the file-checks queue. The rules are in <see cref="FileDesk"/>.
/// </summary>
public sealed class FileFunctions(CallerGate gate, FileDesk desk, FileCheck check)
{
    [Function("UploadFile")]
    public Task<IActionResult> Upload(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{id}/files")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant], async caller => Answers.Of(
            await desk.UploadAsync(caller, id, request.Query["kind"], request.Headers["Idempotency-Key"], request.ContentType, request.Body, cancellationToken),
            file => new AcceptedResult($"/api/files/{file.Id}", file)), RequestLimits.Uploads);

    [Function("GetFile")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "files/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant, Roles.Reviewer], async caller => Answers.Ok(await desk.GetAsync(caller, id, cancellationToken)));

    [Function("CheckUploadedFile")]
    public Task Check([QueueTrigger(IFileCheckQueue.QueueName)] string fileId, CancellationToken cancellationToken) =>
        check.CheckAsync(fileId, cancellationToken);
}
