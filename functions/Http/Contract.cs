namespace JisuDai.Functions.Http;

/// <summary>
/// The JSON body an HTTP function reads, for the API's OpenAPI document (docs/openapi.json). <see cref="Body"/> is
/// the type the body is read as; a document kept as sent (a rule set, a product, a model bundle) is a
/// <see cref="System.Text.Json.Nodes.JsonObject"/> with a <see cref="Description"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AcceptsAttribute(Type body) : Attribute
{
    public Type Body { get; } = body;

    /// <summary>What the body holds, where its type does not say.</summary>
    public string? Description { get; init; }
}

/// <summary>
/// A status an HTTP function answers with, and the type of its body when it has one (problems, 4xx and 5xx, always
/// have the problem-details shape and need no type). Declare 401 on every function that needs a signed-in caller:
/// the document's security follows it, and a test calls each route without credentials to hold it to that.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class AnswersAttribute(int status, Type? body = null) : Attribute
{
    public int Status { get; } = status;

    public Type? Body { get; } = body;

    /// <summary>When the answer comes, in a few words.</summary>
    public string? Description { get; init; }
}

/// <summary>A query-string parameter an HTTP function reads.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class QueryAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;
}

/// <summary>
/// A request header an HTTP function requires, as <c>Idempotency-Key</c> on every command that creates a record or moves
/// money: the document marks it required, and the function answers 400 naming it when it is missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class RequiresHeaderAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;
}

/// <summary>
/// An HTTP function anyone may call without a bearer token (it may still check another credential, as the payment
/// provider's signature). Every other function needs a signed-in caller: the OpenAPI document says so, and a test
/// calls each route without credentials to hold both to it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AnyoneAttribute : Attribute;
