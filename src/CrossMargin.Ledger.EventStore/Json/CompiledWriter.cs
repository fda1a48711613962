using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Text;
using CrossMargin.Ledger.Commands;
using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.EventStore.Hashing;
using Newtonsoft.Json.Serialization;

namespace CrossMargin.Ledger.EventStore.Json;

/// <summary>
/// Writes an event's data as Json.NET writes it with <see cref="LedgerJson.Settings"/>, and in the same walk its
/// canonical text (<see cref="CanonicalJson.Of(string)"/> of that data: every object's keys in ordinal order), or
/// declines. The append path otherwise serialises each event with Json.NET and parses the text again to sort its keys
/// for the hash (design §9). Each property is read and each list walked once, and both texts are made from what was
/// read: a scalar's text goes to both, an object's properties to the data in Json.NET's order and to the canonical
/// text in ordinal order. What it writes is Json.NET's text to the character: the names and their order come from
/// Json.NET's own contract for the type, decimals from <see cref="DecimalStringConverter.Format"/>, enum words from
/// Json.NET itself, strings quoted the way it quotes them. Whatever it is not sure of (a type, a property or a setting
/// outside the plan, a value whose runtime type is not the declared one, a string holding a surrogate) it declines and
/// the caller asks Json.NET. A property test holds the two to the same text over random venues' logs.
/// <para>
/// A type is written this way when each property Json.NET writes for it is a decimal, an id, an enum word, a string,
/// an int, a long, a bool (or a nullable one of those), such a record, or a list of them, with no converter, condition
/// or callback of its own: the types <see cref="CompiledReader"/> reads.
/// </para>
/// </summary>
public static class CompiledWriter
{
    private static readonly ConcurrentDictionary<Type, ObjectPlan?> Plans = new();
    private static readonly ConcurrentDictionary<Type, bool> Lists = new();

    /// <summary>The text Json.NET writes for <paramref name="event"/> and its canonical form, or false when not
    /// sure.</summary>
    public static bool TryWrite(
        ILedgerEvent @event,
        [NotNullWhen(true)] out string? data,
        [NotNullWhen(true)] out string? canonical
    ) => TryWrite(@event, null, out data, out canonical);

    /// <summary>
    /// The canonical text of <paramref name="command"/>'s fields: what <c>CanonicalJson.Of</c> makes of Json.NET's
    /// tree of it (<c>JObject.FromObject</c> with <see cref="LedgerJson.Serializer"/>), the top-level fields named in
    /// <paramref name="omittedWhenNull"/> left out where they are null; or false when not sure. A command's payload
    /// hash is taken over it.
    /// </summary>
    public static bool TryWriteCanonical(
        LedgerCommand command,
        IReadOnlyCollection<string> omittedWhenNull,
        [NotNullWhen(true)] out string? canonical
    ) => TryWrite(command, omittedWhenNull, out _, out canonical);

    private static bool TryWrite(
        object value,
        IReadOnlyCollection<string>? omittedWhenNull,
        [NotNullWhen(true)] out string? data,
        [NotNullWhen(true)] out string? canonical
    )
    {
        data = canonical = null;
        if (PlanOf(value.GetType()) is not { } plan)
            return false;
        try
        {
            var written = new StringBuilder(256);
            var sorted = new StringBuilder(256);
            if (!plan.TryWrite(written, sorted, value, omittedWhenNull))
                return false;
            data = written.ToString();
            canonical = sorted.ToString();
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException)
        {
            // a list that cannot be walked (a default ImmutableArray): Json.NET answers it as it always has
            return false;
        }
    }

    private static ObjectPlan? PlanOf(Type type) =>
        Plans.TryGetValue(type, out var plan)
            ? plan
            : Plans.GetOrAdd(type, t => Planned(() => ObjectPlan.Build(t, [])));

    /// <summary>The plan, or none when planning throws (a type Json.NET's contract cannot describe): Json.NET writes
    /// that type, and says what is wrong with it.</summary>
    private static T? Planned<T>(Func<T?> build)
        where T : class
    {
        try
        {
            return build();
        }
        catch (Exception e) when (e is Newtonsoft.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    private static Field? FieldFor(Type type, HashSet<Type> building)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        var nullable = underlying is not null;
        var t = underlying ?? type;
        var contract = LedgerJson.Serializer.ContractResolver.ResolveContract(t);
        // a converter the type itself names would be Json.NET's first choice
        if (contract.Converter is not null)
            return null;
        if (t == typeof(decimal))
            return new DecimalField(nullable);
        if (t == typeof(AccountId) || t == typeof(Symbol) || t == typeof(Asset))
            return new TextField(nullable, t);
        if (t.IsEnum)
            return t.IsDefined(typeof(FlagsAttribute)) ? null : new EnumField(nullable, t);
        if (t == typeof(int) || t == typeof(long))
            return new IntegerField(nullable, t);
        if (t == typeof(bool))
            return new BoolField(nullable);
        if (nullable)
            return null;
        if (t == typeof(string))
            return new TextField(true, t);
        if (contract.InternalConverter is not null || contract.IsReference is not null)
            return null;
        return contract switch
        {
            JsonArrayContract array => ListField.Build(array, building),
            JsonObjectContract => ObjectPlan.Build(t, building) is { } plan ? new ObjectField(plan, t) : null,
            _ => null,
        };
    }

    /// <summary>A string as Json.NET quotes it, or false for one holding a surrogate (Json.NET and the canonical
    /// text's UTF-8 could part ways there).</summary>
    private static bool Quote(StringBuilder sb, string text)
    {
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0)
            return false;
        CanonicalJson.Quoted(sb, text);
        return true;
    }

    /// <summary>How one value is written, once, to the data and to the canonical text.</summary>
    private abstract class Field
    {
        public abstract bool TryWrite(StringBuilder data, StringBuilder canonical, object? value);
    }

    private abstract class ValueField(bool nullable, Type type) : Field
    {
        public sealed override bool TryWrite(StringBuilder data, StringBuilder canonical, object? value)
        {
            if (value is null)
            {
                data.Append("null");
                canonical.Append("null");
                return nullable;
            }
            return value.GetType() == type && TryWriteValue(data, canonical, value);
        }

        protected abstract bool TryWriteValue(StringBuilder data, StringBuilder canonical, object value);
    }

    /// <summary>A value whose text is the same in the data and in the canonical text.</summary>
    private abstract class ScalarField(bool nullable, Type type) : ValueField(nullable, type)
    {
        protected sealed override bool TryWriteValue(StringBuilder data, StringBuilder canonical, object value)
        {
            var start = data.Length;
            if (!TryWriteScalar(data, value))
                return false;
            canonical.Append(data, start, data.Length - start);
            return true;
        }

        protected abstract bool TryWriteScalar(StringBuilder sb, object value);
    }

    private sealed class DecimalField(bool nullable) : ScalarField(nullable, typeof(decimal))
    {
        protected override bool TryWriteScalar(StringBuilder sb, object value)
        {
            sb.Append('"').Append(DecimalStringConverter.Format((decimal)value)).Append('"');
            return true;
        }
    }

    /// <summary>A string, or an id written as its plain string.</summary>
    private sealed class TextField(bool nullable, Type type) : ScalarField(nullable, type)
    {
        protected override bool TryWriteScalar(StringBuilder sb, object value) => Quote(sb, value.ToString()!);
    }

    private sealed class EnumField : ScalarField
    {
        private readonly Dictionary<object, string> words = [];

        public EnumField(bool nullable, Type type)
            : base(nullable, type)
        {
            // the words as Json.NET writes them, quotes and all (for two names of one value, the one it picks)
            foreach (var value in Enum.GetValues(type))
                words.TryAdd(value, LedgerJson.Serialize(value));
        }

        protected override bool TryWriteScalar(StringBuilder sb, object value)
        {
            // a value outside the enum is written by Json.NET as a number: its business
            if (!words.TryGetValue(value, out var word))
                return false;
            sb.Append(word);
            return true;
        }
    }

    private sealed class IntegerField(bool nullable, Type type) : ScalarField(nullable, type)
    {
        protected override bool TryWriteScalar(StringBuilder sb, object value)
        {
            sb.Append(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
            return true;
        }
    }

    private sealed class BoolField(bool nullable) : ScalarField(nullable, typeof(bool))
    {
        protected override bool TryWriteScalar(StringBuilder sb, object value)
        {
            sb.Append((bool)value ? "true" : "false");
            return true;
        }
    }

    private sealed class ObjectField(ObjectPlan plan, Type type) : ValueField(true, type)
    {
        protected override bool TryWriteValue(StringBuilder data, StringBuilder canonical, object value) =>
            plan.TryWrite(data, canonical, value);
    }

    /// <summary>A list, written as Json.NET writes what its runtime type's contract calls an array, walked
    /// once.</summary>
    private sealed class ListField(Field item) : Field
    {
        public static ListField? Build(JsonArrayContract contract, HashSet<Type> building) =>
            contract.CollectionItemType is { } itemType && Plain(contract) && FieldFor(itemType, building) is { } item
                ? new ListField(item)
                : null;

        public override bool TryWrite(StringBuilder data, StringBuilder canonical, object? value)
        {
            if (value is null)
            {
                data.Append("null");
                canonical.Append("null");
                return true;
            }
            if (value is string || !IsPlainArray(value.GetType()))
                return false;
            data.Append('[');
            canonical.Append('[');
            var first = true;
            foreach (var element in (IEnumerable)value)
            {
                if (!first)
                {
                    data.Append(',');
                    canonical.Append(',');
                }
                first = false;
                if (!item.TryWrite(data, canonical, element))
                    return false;
            }
            data.Append(']');
            canonical.Append(']');
            return true;
        }

        private static bool IsPlainArray(Type type) =>
            Lists.TryGetValue(type, out var plain)
                ? plain
                : Lists.GetOrAdd(
                    type,
                    t =>
                        Planned(() => LedgerJson.Serializer.ContractResolver.ResolveContract(t) as JsonArrayContract)
                            is { } array
                        && Plain(array)
                );

        private static bool Plain(JsonArrayContract array) =>
            array.Converter is null
            && array.InternalConverter is null
            && array.ItemConverter is null
            && array.IsReference is null
            && array.ItemIsReference is null
            && array.ItemTypeNameHandling is null
            && array.ItemReferenceLoopHandling is null
            && !array.IsMultidimensionalArray
            && array.OnSerializingCallbacks.Count + array.OnSerializedCallbacks.Count == 0;
    }

    /// <summary>An object: the properties Json.NET writes for its type, in its order and in the canonical
    /// one.</summary>
    private sealed class ObjectPlan
    {
        // each name quoted with its colon, as it is written
        private readonly (string Name, Field Field, IValueProvider Value)[] properties;
        private readonly string[] names;
        private readonly int[] byName;

        private ObjectPlan((string Name, Field Field, IValueProvider Value)[] properties, string[] names)
        {
            this.properties = properties;
            this.names = names;
            byName = [.. Enumerable.Range(0, properties.Length).OrderBy(i => names[i], StringComparer.Ordinal)];
        }

        public static ObjectPlan? Build(Type type, HashSet<Type> building)
        {
            if (
                !building.Add(type)
                || LedgerJson.Serializer.ContractResolver.ResolveContract(type) is not JsonObjectContract contract
                || contract.Converter is not null
                || contract.InternalConverter is not null
                || contract.ExtensionDataGetter is not null
                || contract.IsReference is not null
                || contract.ItemConverter is not null
                || contract.ItemIsReference is not null
                || contract.ItemTypeNameHandling is not null
                || contract.ItemReferenceLoopHandling is not null
                || contract.ItemNullValueHandling is not null
                || contract.ItemRequired is not null
                || contract.OnSerializingCallbacks.Count + contract.OnSerializedCallbacks.Count > 0
                || contract.MemberSerialization != Newtonsoft.Json.MemberSerialization.OptOut
            )
                return null;
            var properties = new List<(string, Field, IValueProvider)>();
            var names = new List<string>();
            foreach (var property in contract.Properties)
            {
                if (property.Ignored)
                    continue;
                if (
                    !property.Readable
                    || property.PropertyName is not { } name
                    || property.PropertyType is not { } propertyType
                    || property.ValueProvider is not { } provider
                    || property.Converter is not null
                    || property.ItemConverter is not null
                    || property.ShouldSerialize is not null
                    || property.GetIsSpecified is not null
                    || property.Required != Newtonsoft.Json.Required.Default
                    || property.NullValueHandling is not null
                    || property.DefaultValueHandling is not null
                    || property.TypeNameHandling is not null
                    || property.IsReference is not null
                    || property.ReferenceLoopHandling is not null
                    || property.ItemIsReference is not null
                    || property.ItemTypeNameHandling is not null
                    || property.ItemReferenceLoopHandling is not null
                    || FieldFor(propertyType, building) is not { } field
                )
                    return null;
                var quoted = new StringBuilder();
                if (!Quote(quoted, name))
                    return null;
                properties.Add((quoted.Append(':').ToString(), field, provider));
                names.Add(name);
            }
            building.Remove(type);
            return properties.Count == 0 ? null : new ObjectPlan([.. properties], [.. names]);
        }

        /// <summary>Writes the properties to the data in Json.NET's order, each read once; their canonical texts
        /// are kept aside and written in ordinal order of the names. A property named in
        /// <paramref name="omittedWhenNull"/> is left out of both where it is null.</summary>
        public bool TryWrite(
            StringBuilder data,
            StringBuilder canonical,
            object value,
            IReadOnlyCollection<string>? omittedWhenNull = null
        )
        {
            var aside = new StringBuilder();
            Span<(int Start, int Length)> kept = stackalloc (int, int)[properties.Length];
            data.Append('{');
            var written = 0;
            for (var i = 0; i < properties.Length; i++)
            {
                var (name, field, provider) = properties[i];
                var property = provider.GetValue(value);
                if (property is null && omittedWhenNull?.Contains(names[i]) == true)
                {
                    kept[i] = (-1, 0);
                    continue;
                }
                if (written++ > 0)
                    data.Append(',');
                data.Append(name);
                var start = aside.Length;
                if (!field.TryWrite(data, aside, property))
                    return false;
                kept[i] = (start, aside.Length - start);
            }
            data.Append('}');
            canonical.Append('{');
            written = 0;
            foreach (var i in byName)
            {
                if (kept[i].Start < 0)
                    continue;
                if (written++ > 0)
                    canonical.Append(',');
                canonical.Append(properties[i].Name).Append(aside, kept[i].Start, kept[i].Length);
            }
            canonical.Append('}');
            return true;
        }
    }
}
