namespace JisuDai.Lending;

/// <summary>
/// Why an input was refused: the field at fault, the rule it broke (a stable code for programs) and a
/// message for people. Domain operations return these instead of throwing, so callers can show them
/// (as RFC 7807 problem details at the HTTP edge) and nothing is half-done.
/// </summary>
/// <param name="Field">The input field, camelCase as in the API (for example <c>termCount</c>).</param>
/// <param name="Rule">The rule broken, for example <c>term-within-product</c>.</param>
/// <param name="Message">A sentence saying what was wrong and what is allowed.</param>
public sealed record DomainError(string Field, string Rule, string Message);

/// <summary>A value, or the errors that prevented it.</summary>
/// <typeparam name="T">The value's type.</typeparam>
public sealed record Outcome<T>
{
    Outcome(T? value, IReadOnlyList<DomainError> errors)
    {
        Value = value;
        Errors = errors;
    }

    /// <summary>The value; meaningful only when <see cref="Succeeded"/>.</summary>
    public T? Value { get; }

    /// <summary>Every error found (empty on success).</summary>
    public IReadOnlyList<DomainError> Errors { get; }

    /// <summary>True when there is a value and no error.</summary>
    public bool Succeeded => Errors.Count == 0;

    /// <summary>A success.</summary>
    public static Outcome<T> Success(T value) => new(value, []);

    /// <summary>A failure with at least one error.</summary>
    public static Outcome<T> Failure(IReadOnlyList<DomainError> errors) =>
        errors.Count == 0 ? throw new ArgumentException("A failure needs at least one error.", nameof(errors)) : new(default, errors);
}
