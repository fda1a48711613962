using System.Collections;
using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text;
using System.Text.Json;
using CrossMargin.Ledger.Ledger;
using Newtonsoft.Json.Serialization;

namespace CrossMargin.Ledger.EventStore.Json;

/// <summary>
/// Reads stored event data into its record in one <see cref="Utf8JsonReader"/> pass, or declines. What it returns
/// is the object Json.NET builds from the same text with <see cref="LedgerJson.Settings"/> (the same values, every
/// decimal at the same scale, the same collection types); when the text holds anything it does not read the way
/// Json.NET does (a property out of its record, a repeated or escaped name, a missing one, a number where a decimal
/// string stands, a null where no nullable value does, comments, invalid UTF-16) it declines and the caller asks
/// Json.NET, which gives the value or its error as before. So only the cost of a read changes. A property test holds
/// the two to that over random venues' logs and bent texts.
/// <para>
/// A type is read this way when Json.NET builds it through its one public constructor from the camelCase names of
/// its parameters, and each parameter is a decimal, an id, an enum word, a string, an int, a long, a bool (or a
/// nullable one of those), such a record, or a read-only list of them. The plan is built from Json.NET's own
/// contract for the type, the first time the type is read.
/// </para>
/// </summary>
public static class CompiledReader
{
    private static readonly ConcurrentDictionary<Type, RecordPlan?> Plans = new();

    /// <summary>Whether <paramref name="type"/> is read this way (otherwise every read declines).</summary>
    public static bool Supports(Type type) => PlanOf(type) is not null;

    /// <summary>The record <paramref name="data"/> holds, as Json.NET would build it, or false when not sure.</summary>
    public static bool TryRead(Type type, string data, [NotNullWhen(true)] out object? value)
    {
        value = null;
        if (PlanOf(type) is not { } plan)
            return false;
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(StrictJson.Utf8.GetMaxByteCount(data.Length));
        try
        {
            return Read(plan, rented.AsSpan(0, StrictJson.Utf8.GetBytes(data, rented)), out value);
        }
        catch (EncoderFallbackException)
        {
            // a string that is not UTF-16 (a lone surrogate) has no UTF-8: Json.NET decides
            return false;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The record the UTF-8 text <paramref name="utf8"/> holds, as <see cref="TryRead(Type, string, out
    /// object?)"/> reads the string decoded from it: text that is not valid UTF-8 is read as that string (its
    /// invalid bytes replaced), valid text as it is, which is what encoding the string again would give.</summary>
    public static bool TryRead(Type type, ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out object? value)
    {
        value = null;
        if (PlanOf(type) is not { } plan)
            return false;
        return System.Text.Unicode.Utf8.IsValid(utf8)
            ? Read(plan, utf8, out value)
            : TryRead(type, Encoding.UTF8.GetString(utf8), out value);
    }

    /// <summary>One pass of <paramref name="plan"/> over the whole of <paramref name="utf8"/>, or false when the text
    /// holds anything it does not read as Json.NET would.</summary>
    private static bool Read(RecordPlan plan, ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out object? value)
    {
        value = null;
        try
        {
            var reader = new Utf8JsonReader(utf8, StrictJson.ReaderOptions);
            if (!reader.Read() || !plan.TryRead(ref reader, out var read) || reader.Read())
                return false;
            value = read!;
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    private static RecordPlan? PlanOf(Type type) =>
        Plans.TryGetValue(type, out var plan) ? plan : Plans.GetOrAdd(type, t => RecordPlan.Build(t, []));

    private static Field? FieldFor(Type type, HashSet<Type> building)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        var nullable = underlying is not null;
        var t = underlying ?? type;
        if (t == typeof(decimal))
            return new DecimalField(nullable);
        if (t == typeof(AccountId))
            return new IdentifierField(nullable, s => Boxed(AccountId.ParseStored(s)));
        if (t == typeof(Symbol))
            return new IdentifierField(nullable, s => Boxed(Symbol.ParseStored(s)));
        if (t == typeof(Asset))
            return new IdentifierField(nullable, s => Boxed(Asset.ParseStored(s)));
        if (t.IsEnum)
            return t.IsDefined(typeof(FlagsAttribute)) ? null : new EnumField(nullable, t);
        if (t == typeof(int))
            return new IntegerField(nullable, wide: false);
        if (t == typeof(long))
            return new IntegerField(nullable, wide: true);
        if (t == typeof(bool))
            return new BoolField(nullable);
        if (nullable)
            return null;
        if (t == typeof(string))
            return new StringField();
        var contract = LedgerJson.Serializer.ContractResolver.ResolveContract(t);
        if (contract.Converter is not null || contract.InternalConverter is not null)
            return null;
        return contract switch
        {
            JsonArrayContract array => ListField.Build(array, building),
            JsonObjectContract => RecordPlan.Build(t, building) is { } plan ? new RecordField(plan) : null,
            _ => null,
        };
    }

    private static object? Boxed<T>(Checked<T> parsed) => parsed.Is(out var value, out _) ? value : null;

    /// <summary>How one value is read; the reader stands on its first token.</summary>
    private abstract class Field
    {
        public abstract bool TryRead(ref Utf8JsonReader reader, out object? value);
    }

    private abstract class NullableField(bool nullable) : Field
    {
        public sealed override bool TryRead(ref Utf8JsonReader reader, out object? value)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                value = null;
                return nullable;
            }
            return TryReadValue(ref reader, out value);
        }

        protected abstract bool TryReadValue(ref Utf8JsonReader reader, out object? value);
    }

    private sealed class DecimalField(bool nullable) : NullableField(nullable)
    {
        protected override bool TryReadValue(ref Utf8JsonReader reader, out object? value)
        {
            value = null;
            if (reader.TokenType != JsonTokenType.String)
                return false;
            if (!reader.ValueIsEscaped && ExactDecimal.TryParsePlain(reader.ValueSpan, out var plain))
            {
                value = plain;
                return true;
            }
            if (!ExactDecimal.Parse(reader.GetString()!).Is(out var parsed, out _))
                return false;
            value = parsed;
            return true;
        }
    }

    private sealed class IdentifierField(bool nullable, Func<string, object?> parse) : NullableField(nullable)
    {
        protected override bool TryReadValue(ref Utf8JsonReader reader, out object? value)
        {
            value = reader.TokenType == JsonTokenType.String ? parse(reader.GetString()!) : null;
            return value is not null;
        }
    }

    private sealed class EnumField : NullableField
    {
        private readonly (byte[] Word, object Value)[] words;

        public EnumField(bool nullable, Type type)
            : base(nullable) =>
            // the words Json.NET writes: an exact match is the first thing its reader tries
            words = [
                .. Enum.GetValues(type)
                    .Cast<object>()
                    .Select(v => (Encoding.UTF8.GetBytes(LedgerJson.Serialize(v).Trim('"')), v)),
            ];

        protected override bool TryReadValue(ref Utf8JsonReader reader, out object? value)
        {
            value = null;
            if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
                return false;
            foreach (var (word, v) in words)
                if (reader.ValueSpan.SequenceEqual(word))
                {
                    value = v;
                    return true;
                }
            return false;
        }
    }

    private sealed class IntegerField(bool nullable, bool wide) : NullableField(nullable)
    {
        protected override bool TryReadValue(ref Utf8JsonReader reader, out object? value)
        {
            value = null;
            // digits only: Json.NET's reading of fractions and exponents into an integer is its own
            if (reader.TokenType != JsonTokenType.Number || reader.ValueSpan.IndexOfAny(".eE"u8) >= 0)
                return false;
            if (wide && reader.TryGetInt64(out var int64))
                value = int64;
            else if (!wide && reader.TryGetInt32(out var int32))
                value = int32;
            return value is not null;
        }
    }

    private sealed class BoolField(bool nullable) : NullableField(nullable)
    {
        protected override bool TryReadValue(ref Utf8JsonReader reader, out object? value)
        {
            value = reader.TokenType switch
            {
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                _ => null,
            };
            return value is not null;
        }
    }

    private sealed class StringField : Field
    {
        public override bool TryRead(ref Utf8JsonReader reader, out object? value)
        {
            value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            return value is not null;
        }
    }

    private sealed class RecordField(RecordPlan plan) : Field
    {
        public override bool TryRead(ref Utf8JsonReader reader, out object? value) =>
            plan.TryRead(ref reader, out value);
    }

    /// <summary>A read-only list, built as Json.NET builds it: a <see cref="List{T}"/>, wrapped in a
    /// <see cref="ReadOnlyCollection{T}"/> when that is the type its contract creates.</summary>
    private sealed class ListField(Field item, Func<IList> create, Func<IList, object> finish) : Field
    {
        public static ListField? Build(JsonArrayContract contract, HashSet<Type> building)
        {
            if (
                contract.CollectionItemType is not { } itemType
                || contract.IsMultidimensionalArray
                || contract.ItemConverter is not null
                || FieldFor(itemType, building) is not { } item
            )
                return null;
            var listType = typeof(List<>).MakeGenericType(itemType);
            var create = ConstructorInvoker.Create(listType.GetConstructor(Type.EmptyTypes)!);
            if (contract.CreatedType == listType)
                return new ListField(item, () => (IList)create.Invoke(), list => list);
            if (contract.CreatedType != typeof(ReadOnlyCollection<>).MakeGenericType(itemType))
                return null;
            var wrap = ConstructorInvoker.Create(
                contract.CreatedType.GetConstructor([typeof(IList<>).MakeGenericType(itemType)])!
            );
            return new ListField(item, () => (IList)create.Invoke(), list => wrap.Invoke(list));
        }

        public override bool TryRead(ref Utf8JsonReader reader, out object? value)
        {
            value = null;
            if (reader.TokenType != JsonTokenType.StartArray)
                return false;
            var list = create();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (!item.TryRead(ref reader, out var element) || element is null)
                    return false;
                list.Add(element);
            }
            value = finish(list);
            return true;
        }
    }

    /// <summary>A record built through its one public constructor, every parameter present exactly once.</summary>
    private sealed class RecordPlan : Field
    {
        private readonly byte[][] names;
        private readonly Field[] fields;
        private readonly ConstructorInvoker create;

        private RecordPlan(byte[][] names, Field[] fields, ConstructorInvoker create)
        {
            this.names = names;
            this.fields = fields;
            this.create = create;
        }

        public static RecordPlan? Build(Type type, HashSet<Type> building)
        {
            if (
                !building.Add(type)
                || LedgerJson.Serializer.ContractResolver.ResolveContract(type) is not JsonObjectContract contract
                || contract.Converter is not null
                || contract.ExtensionDataSetter is not null
                || contract.OverrideCreator is not null
                || contract.OnDeserializingCallbacks.Count + contract.OnDeserializedCallbacks.Count > 0
                || type.GetConstructor(Type.EmptyTypes) is not null
                || type.GetConstructors() is not [var constructor]
            )
                return null;
            var parameters = constructor.GetParameters();
            if (parameters.Length is 0 or > 63 || contract.CreatorParameters.Count != parameters.Length)
                return null;
            var names = new byte[parameters.Length][];
            var fields = new Field[parameters.Length];
            for (var i = 0; i < parameters.Length; i++)
            {
                var property = contract.CreatorParameters[i];
                if (
                    property.PropertyName is not { } name
                    || property.PropertyType != parameters[i].ParameterType
                    || property.Converter is not null
                    || !string.Equals(name, parameters[i].Name, StringComparison.OrdinalIgnoreCase)
                    || FieldFor(parameters[i].ParameterType, building) is not { } field
                )
                    return null;
                names[i] = Encoding.UTF8.GetBytes(name);
                fields[i] = field;
            }
            building.Remove(type);
            return new RecordPlan(names, fields, ConstructorInvoker.Create(constructor));
        }

        public override bool TryRead(ref Utf8JsonReader reader, out object? value)
        {
            value = null;
            if (reader.TokenType != JsonTokenType.StartObject)
                return false;
            var args = new object?[fields.Length];
            var seen = 0UL;
            var next = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueIsEscaped || IndexOf(ref reader, next) is not (>= 0 and var index))
                    return false;
                if ((seen & (1UL << index)) != 0 || !reader.Read() || !fields[index].TryRead(ref reader, out var read))
                    return false;
                seen |= 1UL << index;
                args[index] = read;
                next = index + 1;
            }
            if (reader.TokenType != JsonTokenType.EndObject || seen != (1UL << fields.Length) - 1)
                return false;
            value = create.Invoke(args.AsSpan());
            return true;
        }

        /// <summary>The parameter the name at the reader is, trying first the one after the last (the order the
        /// ledger writes them in).</summary>
        private int IndexOf(ref Utf8JsonReader reader, int next)
        {
            if (next < names.Length && reader.ValueSpan.SequenceEqual(names[next]))
                return next;
            for (var i = 0; i < names.Length; i++)
                if (reader.ValueSpan.SequenceEqual(names[i]))
                    return i;
            return -1;
        }
    }
}
