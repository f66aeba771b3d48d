using System.Reflection;
using System.Runtime.CompilerServices;
using DurableTask.Core.History;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Serialization;

namespace JisuDai.Orchestrations.Tests.Harness;

/// <summary>
/// Writes a history (DurableTask.Core's own <see cref="HistoryEvent"/> objects) as readable, indented JSON and reads it
/// back. The events' [DataMember]s are written as they are, each event tagged with its class name in "$type"
/// ("TaskScheduledEvent"); enums are written by name and times in UTC. Reading accepts only DurableTask.Core's history
/// event classes, and builds each event without running its constructor, as DataContractSerializer (the format
/// those classes are made for) does.
/// </summary>
public static class HistoryJson
{
    static readonly JsonSerializerSettings Settings = new()
    {
        TypeNameHandling = TypeNameHandling.Auto,
        SerializationBinder = new HistoryEventTypes(),
        ContractResolver = new HistoryEventContracts(),
        Converters = [new StringEnumConverter()],
        Formatting = Formatting.Indented,
        NullValueHandling = NullValueHandling.Ignore,
        DateTimeZoneHandling = DateTimeZoneHandling.Utc,
        DateParseHandling = DateParseHandling.DateTime,
        MissingMemberHandling = MissingMemberHandling.Error,
    };

    /// <summary>The history as JSON (an array of events, oldest first).</summary>
    public static string Serialize(IEnumerable<HistoryEvent> events) =>
        JsonConvert.SerializeObject(events.ToList(), typeof(List<HistoryEvent>), Settings).ReplaceLineEndings("\n") + "\n";

    /// <summary>The history in <paramref name="json"/>.</summary>
    public static List<HistoryEvent> Deserialize(string json) =>
        JsonConvert.DeserializeObject<List<HistoryEvent>>(json, Settings) ?? throw new JsonSerializationException("The JSON holds no history.");

    /// <summary>Writes a history to a file.</summary>
    public static void Write(string path, IEnumerable<HistoryEvent> events)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, Serialize(events));
    }

    /// <summary>Reads a history from a file.</summary>
    public static List<HistoryEvent> Read(string path) => Deserialize(File.ReadAllText(path));

    /// <summary>"$type" names: the history event classes by their short names, nothing else.</summary>
    sealed class HistoryEventTypes : ISerializationBinder
    {
        const string TagsName = "Tags";

        static readonly Dictionary<string, Type> Known = typeof(HistoryEvent).Assembly.GetTypes()
            .Where(t => t.IsPublic && !t.IsAbstract && typeof(HistoryEvent).IsAssignableFrom(t))
            .ToDictionary(t => t.Name, StringComparer.Ordinal);

        public void BindToName(Type serializedType, out string? assemblyName, out string? typeName)
        {
            assemblyName = null;
            if (Known.TryGetValue(serializedType.Name, out Type? known) && known == serializedType)
            {
                typeName = serializedType.Name;
            }
            else if (serializedType == typeof(Dictionary<string, string>))
            {
                typeName = TagsName;
            }
            else
            {
                throw new JsonSerializationException($"A stored history holds history events only, not {serializedType}.");
            }
        }

        public Type BindToType(string? assemblyName, string typeName) =>
            assemblyName is null && Known.TryGetValue(typeName, out Type? known) ? known
            : assemblyName is null && typeName == TagsName ? typeof(Dictionary<string, string>)
            : throw new JsonSerializationException($"'{typeName}' is not a DurableTask.Core history event.");
    }

    /// <summary>Events are built without a constructor; the executor's own IsPlayed marks are not stored.</summary>
    sealed class HistoryEventContracts : DefaultContractResolver
    {
        protected override JsonObjectContract CreateObjectContract(Type objectType)
        {
            JsonObjectContract contract = base.CreateObjectContract(objectType);
            if (typeof(HistoryEvent).IsAssignableFrom(objectType))
            {
                contract.DefaultCreator = () => RuntimeHelpers.GetUninitializedObject(objectType);
                contract.DefaultCreatorNonPublic = false;
            }

            return contract;
        }

        protected override JsonProperty CreateProperty(MemberInfo member, MemberSerialization memberSerialization)
        {
            JsonProperty property = base.CreateProperty(member, memberSerialization);
            if (member.DeclaringType == typeof(HistoryEvent) && member.Name == nameof(HistoryEvent.IsPlayed))
            {
                property.ShouldSerialize = _ => false;
            }

            return property;
        }
    }
}
