using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using JisuDai.Functions.Http;
using JisuDai.Lending.Applications;
using Microsoft.Azure.Functions.Worker;

namespace JisuDai.Functions.OpenApi;

/// <summary>
/// The API's OpenAPI 3.1 document, made from the same attributes the Functions SDK reads to write functions.metadata
/// and the standalone host reads to map its routes (<c>[Function]</c> and <c>[HttpTrigger]</c>), with each function's
/// contract (<see cref="AcceptsAttribute"/>, <see cref="AnswersAttribute"/>, <see cref="QueryAttribute"/>, <see cref="RequiresHeaderAttribute"/>,
/// <see cref="AnyoneAttribute"/>). Schemas are the JSON Schema of the types as the API writes them (web names, enums
/// by name). The same document is served at <c>/api/openapi.json</c> and checked in at docs/openapi.json.
/// </summary>
public static partial class ApiDocument
{
    /// <summary>How the API writes JSON, as both hosts' answers do (numbers as numbers, enums by name).</summary>
    static readonly JsonSerializerOptions Answers = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        NumberHandling = JsonNumberHandling.Strict,
        Converters = { new CreditOutcomeJson(), new JsonStringEnumConverter() },
    };

    /// <summary>How the API reads a body (<see cref="JsonBody"/>: web defaults, so a number may also come as a string).</summary>
    static readonly JsonSerializerOptions Bodies = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    /// <summary>The document of every HTTP function in <paramref name="assembly"/>, its routes under <paramref name="routePrefix"/>.</summary>
    public static JsonObject Build(Assembly assembly, string routePrefix)
    {
        var schemas = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal)
        {
            ["Problem"] = JsonNode.Parse("""
                {
                  "type": "object",
                  "description": "RFC 7807 problem details, the one error shape of every endpoint.",
                  "properties": {
                    "type": { "type": "string" },
                    "title": { "type": "string" },
                    "status": { "type": "integer" },
                    "detail": { "type": "string" },
                    "traceId": { "type": "string", "description": "The W3C trace id of the request, to quote to support." },
                    "errors": { "type": "object", "description": "Each field at fault, with what is wrong with it.", "additionalProperties": { "type": "array", "items": { "type": "string" } } }
                  },
                  "required": ["title", "status", "traceId"]
                }
                """)!,
        };
        var paths = new SortedDictionary<string, SortedDictionary<string, JsonObject>>(StringComparer.Ordinal);
        foreach ((string name, MethodInfo method, IReadOnlyList<string> verbs, string route) in FunctionCatalog.Load(assembly).Http)
        {
            string path = "/" + (string.IsNullOrEmpty(routePrefix) ? "" : routePrefix + "/") + RouteParameter().Replace(route, m => "{" + m.Groups["name"].Value + "}");
            foreach (string verb in verbs)
            {
                paths.TryAdd(path, new SortedDictionary<string, JsonObject>(StringComparer.Ordinal));
                paths[path][verb.ToLowerInvariant()] = Operation(method, name, route, schemas);
            }
        }

        var pathsNode = new JsonObject();
        foreach ((string path, SortedDictionary<string, JsonObject> operations) in paths)
        {
            var item = new JsonObject();
            foreach ((string verb, JsonObject operation) in operations)
            {
                item[verb] = operation;
            }

            pathsNode[path] = item;
        }

        var schemasNode = new JsonObject();
        foreach ((string key, JsonNode schema) in schemas)
        {
            schemasNode[key] = schema;
        }

        return new JsonObject
        {
            ["openapi"] = "3.1.0",
            ["info"] = new JsonObject
            {
                ["title"] = "JisuDai API",
                ["version"] = "1",
                ["description"] = "极速贷 (JisuDai): borrowers apply and repay; staff review, service loans and run the risk system. Every error is an RFC 7807 problem with a traceId.",
            },
            ["paths"] = pathsNode,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    ["bearer"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT", ["description"] = "A customer's token from /api/auth/tokens, or a staff token (Microsoft Entra in Azure)." },
                },
                ["schemas"] = schemasNode,
            },
        };
    }

    static JsonObject Operation(MethodInfo method, string name, string route, IDictionary<string, JsonNode> schemas)
    {
        var operation = new JsonObject
        {
            ["operationId"] = name,
            ["tags"] = new JsonArray(Tag(method.DeclaringType!)),
        };
        var parameters = new JsonArray();
        foreach (Match m in RouteParameter().Matches(route))
        {
            parameters.Add(new JsonObject { ["name"] = m.Groups["name"].Value, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        foreach (QueryAttribute query in method.GetCustomAttributes<QueryAttribute>().OrderBy(q => q.Name, StringComparer.Ordinal))
        {
            parameters.Add(new JsonObject { ["name"] = query.Name, ["in"] = "query", ["required"] = false, ["description"] = query.Description, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        foreach (RequiresHeaderAttribute header in method.GetCustomAttributes<RequiresHeaderAttribute>().OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            parameters.Add(new JsonObject { ["name"] = header.Name, ["in"] = "header", ["required"] = true, ["description"] = header.Description, ["schema"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 } });
        }

        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }

        if (method.GetCustomAttribute<AcceptsAttribute>() is { } accepts)
        {
            var body = new JsonObject { ["required"] = true, ["content"] = new JsonObject { [ContentTypeOf(accepts.Body)] = new JsonObject { ["schema"] = SchemaOf(accepts.Body, schemas, Bodies, "Input") } } };
            if (accepts.Description is { } d)
            {
                body["description"] = d;
            }

            operation["requestBody"] = body;
        }

        var responses = new JsonObject();
        foreach (AnswersAttribute answer in method.GetCustomAttributes<AnswersAttribute>().OrderBy(a => a.Status))
        {
            var response = new JsonObject { ["description"] = answer.Description ?? DefaultDescription(answer.Status) };
            if (answer.Status >= 400)
            {
                response["content"] = new JsonObject { [Problems.ContentType] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } } };
            }
            else if (answer.Body is { } type)
            {
                response["content"] = new JsonObject { [ContentTypeOf(type)] = new JsonObject { ["schema"] = SchemaOf(type, schemas, Answers, "") } };
            }

            responses[answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = response;
        }

        // An exception no handler expected is a 500 problem that says nothing of it, from every endpoint.
        responses["500"] = new JsonObject
        {
            ["description"] = "Unexpected; logged under the trace id.",
            ["content"] = new JsonObject { [Problems.ContentType] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Problem" } } },
        };
        operation["responses"] = responses;
        operation["security"] = method.GetCustomAttribute<AnyoneAttribute>() is null
            ? new JsonArray(new JsonObject { ["bearer"] = new JsonArray() })
            : new JsonArray();
        return operation;
    }

    static string ContentTypeOf(Type type) => type == typeof(byte[]) ? "application/octet-stream" : "application/json";

    /// <summary>
    /// A reference to the type's schema in the components, or, for a list, an array of them. Every object type met on
    /// the way is a component of its own (<paramref name="suffix"/> tells a body's from an answer's where both occur, as
    /// they read numbers differently), so each is written once however often it is used.
    /// </summary>
    static JsonNode SchemaOf(Type type, IDictionary<string, JsonNode> schemas, JsonSerializerOptions json, string suffix)
    {
        if (type == typeof(byte[]))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "binary" };
        }

        if (type == typeof(JsonObject) || type == typeof(JsonElement) || type == typeof(object))
        {
            return new JsonObject { ["type"] = "object" };
        }

        if (type != typeof(string) && !IsDictionary(type) && ElementOf(type) is { } element)
        {
            return new JsonObject { ["type"] = "array", ["items"] = SchemaOf(element, schemas, json, suffix) };
        }

        var exporter = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) => context.TypeInfo.Kind == JsonTypeInfoKind.Object && context.TypeInfo.Type != typeof(object) && node is JsonObject schema
                ? Component(context.TypeInfo.Type, schema, schemas, suffix)
                : node,
        };
        return JsonSchemaExporter.GetJsonSchemaAsNode(json, type, exporter);
    }

    /// <summary>Keeps <paramref name="schema"/> in the components under the type's name and answers a reference to it (nullable where it was).</summary>
    static JsonNode Component(Type type, JsonObject schema, IDictionary<string, JsonNode> schemas, string suffix)
    {
        bool nullable = schema["type"] is JsonArray types && types.Any(t => t is JsonValue v && (string?)v == "null");
        if (nullable)
        {
            schema["type"] = "object";
        }

        // A member is required when it is always there: the API writes every member, and a body may leave out those that may be null.
        if (schema["properties"] is JsonObject properties)
        {
            var required = new JsonArray();
            foreach ((string name, JsonNode? property) in properties)
            {
                // A schema of true (any value, as for a type with its own converter) may be null too.
                bool mayBeNull = property is not JsonObject p
                    || (p["type"] is JsonArray t && t.Any(x => x is JsonValue v && (string?)v == "null"))
                    || (p["anyOf"] is JsonArray any && any.Any(x => x is JsonObject o && o["type"] is JsonValue v && (string?)v == "null"));
                if (!mayBeNull)
                {
                    required.Add(name);
                }
            }

            schema.Remove("required");
            if (required.Count > 0)
            {
                schema["required"] = required;
            }
        }

        string key = Regex.Replace(type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`')]}Of{string.Join("", type.GetGenericArguments().Select(a => a.Name))}" : type.IsNested ? $"{type.DeclaringType!.Name}.{type.Name}" : type.Name, "[^A-Za-z0-9._]", "") + suffix;
        schemas.TryAdd(key, schema.DeepClone());
        var reference = new JsonObject { ["$ref"] = $"#/components/schemas/{key}" };
        return nullable ? new JsonObject { ["anyOf"] = new JsonArray(reference, new JsonObject { ["type"] = "null" }) } : reference;
    }

    static Type? ElementOf(Type type) =>
        type.IsArray ? type.GetElementType()
        : new[] { type }.Concat(type.GetInterfaces())
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>) && !IsDictionary(type))?.GetGenericArguments()[0];

    static bool IsDictionary(Type type) =>
        new[] { type }.Concat(type.GetInterfaces()).Any(i => i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)));

    static string Tag(Type declaring) => Regex.Replace(declaring.Name, "(Functions|Function)$", "");

    static string DefaultDescription(int status) => status switch
    {
        200 => "OK.",
        201 => "Created.",
        202 => "Accepted.",
        204 => "No content.",
        302 => "Found: see Location.",
        400 => "The request is invalid: errors names each field at fault.",
        401 => "No valid credentials.",
        403 => "The caller may not do this.",
        404 => "Not found.",
        409 => "Conflicts with the current state, or an idempotency key reused with another body.",
        412 => "The If-Match ETag is not the current one.",
        413 => "The body is too large.",
        422 => "Understood but not applicable.",
        429 => "Too many requests: see Retry-After.",
        503 => "Not ready: see Retry-After.",
        _ => $"HTTP {status}.",
    };

    [GeneratedRegex(@"\{\*?(?<name>[A-Za-z0-9_]+)(:[^}]*)?\}")]
    private static partial Regex RouteParameter();
}
