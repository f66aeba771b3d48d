using System.Text.Json;
using JisuDai.Lending.Delinquency;

namespace JisuDai.Lending.Products;

/// <summary>A product version as proposed: its terms and how it is to be published.</summary>
/// <param name="Product">The terms, numbered with the version they are to become.</param>
/// <param name="EffectiveFrom">When new applications start taking them; null for at once when published.</param>
/// <param name="Offered">False to withdraw the product from new applications.</param>
/// <param name="Description">What changed, for staff.</param>
public sealed record ProductDraft(LoanProduct Product, DateTimeOffset? EffectiveFrom, bool Offered, string? Description);

/// <summary>
/// Reads a product document: the JSON a product version is proposed as. Its fields are the product's own, as
/// <c>GET /api/products</c> shows them (camelCase, enums by name, the delinquency policy nested), plus
/// <c>effectiveFrom</c>, <c>offered</c> (default true) and <c>description</c>. Every field of the terms is required, so
/// nothing about a product is left to a default; every error names the JSON path at fault.
/// </summary>
public static class ProductDocument
{
    /// <summary>The most a product document may be, in bytes.</summary>
    public const int MaxBytes = 16 * 1024;

    static readonly string[] Fields =
    [
        "code", "version", "effectiveFrom", "offered", "description", "minAmount", "maxAmount", "minTerm", "maxTerm", "minAnnualRate",
        "maxAnnualRate", "aprCap", "methods", "offerMethod", "frequency", "dayCount", "originationFeeRate", "maxGracePeriods",
        "prepaymentFeeRate", "delinquency", "maxBackdatedDays",
    ];

    static readonly string[] DelinquencyFields = ["buckets", "writeOffAfterDays", "penaltyAnnualRate", "graceDays", "lateFee"];

    /// <summary>The draft <paramref name="json"/> describes, or every error in it.</summary>
    public static Outcome<ProductDraft> Parse(ReadOnlyMemory<byte> json)
    {
        if (json.Length > MaxBytes)
        {
            return Outcome<ProductDraft>.Failure([new("$", "document-size", $"A product document is at most {MaxBytes} bytes.")]);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            return Outcome<ProductDraft>.Failure([new("$", "json", $"The document is not JSON: {e.Message}")]);
        }

        using (document)
        {
            var reader = new Reader();
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Outcome<ProductDraft>.Failure([new("$", "object", "A product document is a JSON object.")]);
            }

            reader.NoOthers(root, "", Fields);
            string? code = reader.Text(root, "code", required: true);
            int? version = reader.Integer(root, "version");
            DateTimeOffset? effectiveFrom = reader.Instant(root, "effectiveFrom");
            bool offered = reader.Flag(root, "offered") ?? true;
            string? description = reader.Text(root, "description", required: false);
            decimal? minAmount = reader.Number(root, "minAmount"), maxAmount = reader.Number(root, "maxAmount");
            int? minTerm = reader.Integer(root, "minTerm"), maxTerm = reader.Integer(root, "maxTerm");
            decimal? minRate = reader.Number(root, "minAnnualRate"), maxRate = reader.Number(root, "maxAnnualRate"), aprCap = reader.Number(root, "aprCap");
            IReadOnlyList<RepaymentMethod>? methods = reader.Names<RepaymentMethod>(root, "methods");
            RepaymentMethod? offerMethod = reader.Name<RepaymentMethod>(root, "offerMethod");
            PaymentFrequency? frequency = reader.Name<PaymentFrequency>(root, "frequency");
            DayCountConvention? dayCount = reader.Name<DayCountConvention>(root, "dayCount");
            decimal? originationFee = reader.Number(root, "originationFeeRate"), prepaymentFee = reader.Number(root, "prepaymentFeeRate");
            int? grace = reader.Integer(root, "maxGracePeriods");
            int? backdating = reader.Integer(root, "maxBackdatedDays");
            DelinquencyPolicy? delinquency = reader.Policy(root);

            if (version is < 1)
            {
                reader.Errors.Add(new("version", "version-positive", "version is the version this document is to become: 1 for a new product, one more than the newest for a change."));
                version = null;
            }

            if (description is { Length: > 500 })
            {
                reader.Errors.Add(new("description", "description-length", "description is at most 500 characters."));
            }

            bool read = code is not null && minAmount is not null && maxAmount is not null && minTerm is not null && maxTerm is not null && minRate is not null
                && maxRate is not null && aprCap is not null && methods is not null && offerMethod is not null && frequency is not null && dayCount is not null
                && originationFee is not null && prepaymentFee is not null && grace is not null && delinquency is not null && backdating is not null;
            if (read)
            {
                // Every term read: what they break together is reported too, so one round shows every fault.
                reader.Errors.AddRange(new LoanProduct(code!, minAmount!.Value, maxAmount!.Value, minTerm!.Value, maxTerm!.Value, minRate!.Value, maxRate!.Value,
                    aprCap!.Value, methods!, offerMethod!.Value, frequency!.Value, dayCount!.Value, originationFee!.Value, grace!.Value, prepaymentFee!.Value, delinquency!, backdating!.Value).Check());
            }

            if (reader.Errors.Count > 0)
            {
                return Outcome<ProductDraft>.Failure(reader.Errors);
            }

            var product = new LoanProduct(code!, minAmount!.Value, maxAmount!.Value, minTerm!.Value, maxTerm!.Value, minRate!.Value, maxRate!.Value, aprCap!.Value,
                methods!, offerMethod!.Value, frequency!.Value, dayCount!.Value, originationFee!.Value, grace!.Value, prepaymentFee!.Value, delinquency!, backdating!.Value)
            {
                Version = version!.Value,
            };
            return Outcome<ProductDraft>.Success(new ProductDraft(product, effectiveFrom, offered, description));
        }
    }

    /// <summary>Reads fields one by one, collecting an error for each one missing or of the wrong kind.</summary>
    sealed class Reader
    {
        public List<DomainError> Errors { get; } = [];

        public void NoOthers(JsonElement element, string prefix, string[] known)
        {
            foreach (JsonProperty property in element.EnumerateObject())
            {
                if (!known.Contains(property.Name, StringComparer.Ordinal))
                {
                    Errors.Add(new($"{prefix}{property.Name}", "known-field", $"{prefix}{property.Name} is not a field of a product document."));
                }
            }
        }

        public string? Text(JsonElement element, string name, bool required)
        {
            if (!element.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Errors.Add(new(name, "required", $"{name} is required."));
                }

                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                Errors.Add(new(name, "string", $"{name} must be a string."));
                return null;
            }

            return value.GetString();
        }

        public decimal? Number(JsonElement element, string name, string prefix = "")
        {
            if (Required(element, name, prefix) is not { } value)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out decimal number))
            {
                Errors.Add(new($"{prefix}{name}", "number", $"{prefix}{name} must be a number."));
                return null;
            }

            return number;
        }

        public int? Integer(JsonElement element, string name, string prefix = "")
        {
            if (Required(element, name, prefix) is not { } value)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int number))
            {
                Errors.Add(new($"{prefix}{name}", "integer", $"{prefix}{name} must be a whole number."));
                return null;
            }

            return number;
        }

        public int? OptionalInteger(JsonElement element, string name, string prefix) =>
            element.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? Integer(element, name, prefix) : null;

        public bool? Flag(JsonElement element, string name)
        {
            if (!element.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                Errors.Add(new(name, "boolean", $"{name} must be true or false."));
                return null;
            }

            return value.GetBoolean();
        }

        public DateTimeOffset? Instant(JsonElement element, string name)
        {
            if (!element.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String || !value.TryGetDateTimeOffset(out DateTimeOffset instant))
            {
                Errors.Add(new(name, "instant", $"{name} must be an ISO 8601 time with its offset, for example 2027-01-01T00:00:00+08:00."));
                return null;
            }

            return instant;
        }

        public T? Name<T>(JsonElement element, string name) where T : struct, Enum =>
            Required(element, name, "") is { } value ? Known<T>(value, name) : null;

        public IReadOnlyList<T>? Names<T>(JsonElement element, string name) where T : struct, Enum
        {
            if (Required(element, name, "") is not { } value)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Array)
            {
                Errors.Add(new(name, "array", $"{name} must be a list of {string.Join(", ", Enum.GetNames<T>())}."));
                return null;
            }

            var names = new List<T>();
            int i = 0, before = Errors.Count;
            foreach (JsonElement item in value.EnumerateArray())
            {
                if (Known<T>(item, $"{name}[{i++}]") is { } parsed && !names.Contains(parsed))
                {
                    names.Add(parsed);
                }
            }

            return Errors.Count == before ? names : null;
        }

        /// <summary>An enum value by its exact name (never by number).</summary>
        T? Known<T>(JsonElement value, string path) where T : struct, Enum
        {
            if (value.ValueKind == JsonValueKind.String && Enum.GetNames<T>().Contains(value.GetString(), StringComparer.Ordinal))
            {
                return Enum.Parse<T>(value.GetString()!);
            }

            Errors.Add(new(path, "known-name", $"{path} must be one of {string.Join(", ", Enum.GetNames<T>())}."));
            return null;
        }

        public DelinquencyPolicy? Policy(JsonElement root)
        {
            if (Required(root, "delinquency", "") is not { } policy)
            {
                return null;
            }

            if (policy.ValueKind != JsonValueKind.Object)
            {
                Errors.Add(new("delinquency", "object", "delinquency must be an object: buckets, writeOffAfterDays, penaltyAnnualRate, graceDays, lateFee."));
                return null;
            }

            const string at = "delinquency.";
            int before = Errors.Count;
            NoOthers(policy, at, DelinquencyFields);
            var buckets = new List<DelinquencyBucket>();
            if (Required(policy, "buckets", at) is { } list)
            {
                if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 or > 20)
                {
                    Errors.Add(new($"{at}buckets", "array", $"{at}buckets must be a list of 1 to 20 buckets."));
                }
                else
                {
                    int i = 0;
                    foreach (JsonElement bucket in list.EnumerateArray())
                    {
                        string path = $"{at}buckets[{i++}].";
                        if (bucket.ValueKind != JsonValueKind.Object)
                        {
                            Errors.Add(new(path.TrimEnd('.'), "object", $"{path.TrimEnd('.')} must be an object: name, fromDays, toDays (null for the last)."));
                            continue;
                        }

                        NoOthers(bucket, path, ["name", "fromDays", "toDays"]);
                        string? bucketName = bucket.TryGetProperty("name", out JsonElement n) && n.ValueKind == JsonValueKind.String && n.GetString() is { Length: > 0 and <= 20 } s ? s : null;
                        if (bucketName is null)
                        {
                            Errors.Add(new($"{path}name", "required", $"{path}name is required: 1 to 20 characters."));
                        }

                        int? from = Integer(bucket, "fromDays", path);
                        int? to = OptionalInteger(bucket, "toDays", path);
                        if (bucketName is not null && from is not null)
                        {
                            buckets.Add(new DelinquencyBucket(bucketName, from.Value, to));
                        }
                    }
                }
            }

            int? writeOff = Integer(policy, "writeOffAfterDays", at);
            decimal? penalty = Number(policy, "penaltyAnnualRate", at);
            int? graceDays = Integer(policy, "graceDays", at);
            decimal? lateFee = Number(policy, "lateFee", at);
            return Errors.Count > before ? null : new DelinquencyPolicy(buckets, writeOff!.Value, penalty!.Value, graceDays!.Value, lateFee!.Value);
        }

        JsonElement? Required(JsonElement element, string name, string prefix)
        {
            if (element.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null)
            {
                return value;
            }

            Errors.Add(new($"{prefix}{name}", "required", $"{prefix}{name} is required."));
            return null;
        }
    }
}
