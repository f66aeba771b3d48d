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
    [RequiresHeader("Idempotency-Key", "The upload's key: the same key with the same bytes is the same file.")]
    [Accepts(typeof(byte[]), Description = "The file's bytes as sent (an ID-card photo or an income proof), at most 10 MB.")]
    [Query("kind", "What the file is: id-card-front, id-card-back or income-proof.")]
    [Answers(202, typeof(JisuDai.App.Files.FileView), Description = "Received (or received before under this Idempotency-Key): the file, waiting for its check; follow it at Location.")]
    [Answers(400, Description = "Idempotency-Key or kind missing or wrong, or the file empty or over 10 MB.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such application of the caller's.")]
    [Answers(409, Description = "The Idempotency-Key was used for another file.")]
    [Answers(429, Description = "More than 20 uploads an hour from this customer, or too many from this address: see Retry-After.")]
    public Task<IActionResult> Upload(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "applications/{id}/files")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant], async caller => Answers.Of(
            await desk.UploadAsync(caller, id, request.Query["kind"], request.Headers["Idempotency-Key"], request.ContentType, request.Body, cancellationToken),
            file => new AcceptedResult($"/api/files/{file.Id}", file)), RequestLimits.Uploads);

    [Function("GetFile")]
    [Answers(200, typeof(JisuDai.App.Files.FileView), Description = "The file, with read links that work for 5 minutes once it is accepted.")]
    [Answers(401)]
    [Answers(403)]
    [Answers(404, Description = "No such file of the caller's.")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "files/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        gate.RunAsync(request, [Roles.Applicant, Roles.Reviewer], async caller => Answers.Ok(await desk.GetAsync(caller, id, cancellationToken)));

    [Function("CheckUploadedFile")]
    public Task Check([QueueTrigger(IFileCheckQueue.QueueName)] string fileId, CancellationToken cancellationToken) =>
        check.CheckAsync(fileId, cancellationToken);
}
