namespace JisuDai.Risk.Rules;

/// <summary>The type of a fact or expression.</summary>
public enum FactType
{
    /// <summary>A number.</summary>
    Number,
    /// <summary>Text.</summary>
    Text,
    /// <summary>True or false.</summary>
    Bool,
}

/// <summary>A value in a rule: a number, text, true/false, or missing.</summary>
public readonly record struct FactValue(FactType? Type, double Number, string? Text, bool Bool)
{
    /// <summary>No value.</summary>
    public static FactValue Missing => default;

    /// <summary>True when there is no value.</summary>
    public bool IsMissing => Type is null;

    /// <summary>A number.</summary>
    public static FactValue Of(double number) => new(FactType.Number, number, null, false);

    /// <summary>Text.</summary>
    public static FactValue Of(string? text) => text is null ? Missing : new(FactType.Text, 0, text, false);

    /// <summary>True or false.</summary>
    public static FactValue Of(bool value) => new(FactType.Bool, 0, null, value);

    /// <summary>True only for the value true: missing and anything else count as false in a condition.</summary>
    public bool IsTrue => Type == FactType.Bool && Bool;

    /// <inheritdoc/>
    public override string ToString() => Type switch
    {
        FactType.Number => Number.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        FactType.Text => Text!,
        FactType.Bool => Bool ? "true" : "false",
        _ => "null",
    };
}

/// <summary>
/// The names rules may read, each with its type and a slot. Rules are compiled against a catalogue, so an unknown
/// name or a type mismatch is an error when a rule set is published, not when an application is decided.
/// </summary>
public sealed class FactCatalog
{
    readonly Dictionary<string, (int Slot, FactType Type)> facts = new(StringComparer.Ordinal);

    /// <summary>A catalogue of <paramref name="facts"/>.</summary>
    public FactCatalog(IEnumerable<(string Name, FactType Type)> facts)
    {
        foreach ((string name, FactType type) in facts)
        {
            this.facts.TryAdd(name, (this.facts.Count, type));
        }
    }

    /// <summary>How many facts there are.</summary>
    public int Count => facts.Count;

    /// <summary>The names, in slot order.</summary>
    public IEnumerable<string> Names => facts.OrderBy(f => f.Value.Slot).Select(f => f.Key);

    /// <summary>The slot and type of <paramref name="name"/>, if it is known.</summary>
    public bool TryGet(string name, out int slot, out FactType type)
    {
        bool found = facts.TryGetValue(name, out var fact);
        (slot, type) = fact;
        return found;
    }

    /// <summary>The slot of <paramref name="name"/>; throws when it is unknown.</summary>
    public int SlotOf(string name) => facts.TryGetValue(name, out var fact) ? fact.Slot : throw new KeyNotFoundException($"No fact '{name}'.");

    /// <summary>The type of <paramref name="name"/>; throws when it is unknown.</summary>
    public FactType TypeOf(string name) => facts[name].Type;

    /// <summary>An empty set of values for this catalogue, every fact missing.</summary>
    public Facts NewFacts() => new(this);
}

/// <summary>The values of one decision's facts, by slot.</summary>
public sealed class Facts(FactCatalog catalog)
{
    readonly FactValue[] values = new FactValue[catalog.Count];

    /// <summary>The catalogue these facts follow.</summary>
    public FactCatalog Catalog { get; } = catalog;

    /// <summary>The value in a slot.</summary>
    public FactValue this[int slot] => values[slot];

    /// <summary>Sets a fact by name; the value must have the fact's type (or be missing).</summary>
    public Facts Set(string name, FactValue value)
    {
        if (!value.IsMissing && value.Type != Catalog.TypeOf(name))
        {
            throw new ArgumentException($"Fact '{name}' is {Catalog.TypeOf(name)}, not {value.Type}.", nameof(value));
        }

        values[Catalog.SlotOf(name)] = value;
        return this;
    }

    /// <summary>Sets a fact by slot, for callers that looked the slot up once (<see cref="FactCatalog.SlotOf"/>); the type is theirs to get right.</summary>
    public Facts Set(int slot, FactValue value)
    {
        values[slot] = value;
        return this;
    }

    /// <summary>The value of a fact by name.</summary>
    public FactValue Get(string name) => values[Catalog.SlotOf(name)];

    /// <summary>Every fact that has a value, by name.</summary>
    public IReadOnlyDictionary<string, string> Present() =>
        Catalog.Names.Where(n => !Get(n).IsMissing).ToDictionary(n => n, n => Get(n).ToString(), StringComparer.Ordinal);
}
