using JisuDai.Lending;

namespace JisuDai.App.Results;

/// <summary>Why a use case refused a request; the HTTP edge maps each to its status (400, 404, 409, 403, 503).</summary>
public enum Refusal
{
    /// <summary>The request is malformed or breaks a rule; <see cref="Result{T}.Errors"/> names each field.</summary>
    Invalid,
    /// <summary>There is no such thing, or the caller may not know it exists.</summary>
    NotFound,
    /// <summary>The thing is not in a state that allows this now.</summary>
    Conflict,
    /// <summary>The caller may not do this.</summary>
    Forbidden,
    /// <summary>A dependency is still starting (the risk model trains on first start); try again shortly.</summary>
    NotReady,
    /// <summary>The caller did not prove who they are (a notification whose signature does not verify, or is stale).</summary>
    Unauthenticated,
    /// <summary>Well-formed and authentic, but it does not match anything it should (a provider's report of an unknown or different payment).</summary>
    Unprocessable,
    /// <summary>Too many of these for now (a limit on sign-in codes or tries); <see cref="Result{T}.RetryAfter"/> says when to try again.</summary>
    TooMany,
}

/// <summary>What a use case answered: a value, or a refusal with a message and the fields at fault. Nothing changed when it refused.</summary>
/// <typeparam name="T">The answer's type.</typeparam>
public sealed record Result<T>
{
    Result(T? value, Refusal? refused, string detail, IReadOnlyList<DomainError> errors, TimeSpan? retryAfter = null) =>
        (Value, Refused, Detail, Errors, RetryAfter) = (value, refused, detail, errors, retryAfter);

    /// <summary>For <see cref="Refusal.TooMany"/>: how long until it may be tried again.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The answer, when it succeeded.</summary>
    public T? Value { get; }

    /// <summary>Why it was refused, or null when it succeeded.</summary>
    public Refusal? Refused { get; }

    /// <summary>A sentence for the caller.</summary>
    public string Detail { get; }

    /// <summary>The fields at fault (for <see cref="Refusal.Invalid"/>).</summary>
    public IReadOnlyList<DomainError> Errors { get; }

    /// <summary>True when it succeeded.</summary>
    public bool Succeeded => Refused is null;

    /// <summary>It succeeded with <paramref name="value"/>.</summary>
    public static Result<T> Ok(T value) => new(value, null, "", []);

    /// <summary>Refused: these fields are at fault.</summary>
    public static Result<T> Invalid(IReadOnlyList<DomainError> errors) => new(default, Refusal.Invalid, string.Join(" ", errors.Select(e => e.Message)), errors);

    /// <summary>Refused: <paramref name="field"/> is at fault.</summary>
    public static Result<T> Invalid(string field, string message) => Invalid([new DomainError(field, "invalid", message)]);

    /// <summary>Refused: not found.</summary>
    public static Result<T> NotFound(string detail) => new(default, Refusal.NotFound, detail, []);

    /// <summary>Refused: a conflict with the current state.</summary>
    public static Result<T> Conflict(string detail) => new(default, Refusal.Conflict, detail, []);

    /// <summary>Refused: not allowed for this caller.</summary>
    public static Result<T> Forbidden(string detail) => new(default, Refusal.Forbidden, detail, []);

    /// <summary>Refused: the caller is not who they claim.</summary>
    public static Result<T> Unauthenticated(string detail) => new(default, Refusal.Unauthenticated, detail, []);

    /// <summary>Refused: authentic, but it matches nothing it should.</summary>
    public static Result<T> Unprocessable(string detail) => new(default, Refusal.Unprocessable, detail, []);

    /// <summary>Refused: too many for now; it may be tried again after <paramref name="retryAfter"/>.</summary>
    public static Result<T> TooMany(string detail, TimeSpan retryAfter) => new(default, Refusal.TooMany, detail, [], retryAfter);

    /// <summary>Refused: not ready yet.</summary>
    public static Result<T> NotReady(string detail) => new(default, Refusal.NotReady, detail, []);

    /// <summary>The same refusal for an answer of another type.</summary>
    public Result<TOther> As<TOther>() => Succeeded
        ? throw new InvalidOperationException("Only a refusal converts to another answer type.")
        : new Result<TOther>(default, Refused, Detail, Errors, RetryAfter);
}

/// <summary>The answer to a command that records something: the record, and whether this call created it (false: it was there already, and is answered again).</summary>
public sealed record Recorded<T>(T Value, bool Created);
