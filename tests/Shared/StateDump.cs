using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace CrossMargin.Ledger.TestSupport;

/// <summary>
/// A text of every public property of an object graph, found by reflection (immutable collections compare by
/// reference, and a snapshot's own canonical form cannot be its own oracle): decimals with their scale, dictionaries
/// by key. The engine's caches (<c>Triggers</c>, <c>Adl</c>) are left out: they are rebuilt, never
/// stored.
/// </summary>
public static class StateDump
{
    private static readonly HashSet<string> Caches = ["Triggers", "Adl"];

    /// <summary>The dump of <paramref name="value"/>; with <paramref name="collectionTypes"/> each collection is
    /// named by its runtime type too (a decoder must build the same ones).</summary>
    public static string Of(object? value, bool collectionTypes = false)
    {
        var text = new StringBuilder();
        new Dumper(text, collectionTypes).Write(value, 0);
        return text.ToString();
    }

    private readonly record struct Dumper(StringBuilder Text, bool CollectionTypes)
    {
        private void AppendCollectionType(object collection)
        {
            if (CollectionTypes)
                Text.Append(collection.GetType().Name);
        }

        public void Write(object? value, int depth)
        {
            if (depth > 24)
                throw new InvalidOperationException("the object graph is deeper than a ledger state");
            switch (value)
            {
                case null:
                    Text.Append("null");
                    return;
                case string s:
                    Text.Append('"').Append(s).Append('"');
                    return;
                case decimal d:
                    Text.Append(d.ToString(CultureInfo.InvariantCulture)).Append('m');
                    return;
                case bool or int or long or Enum:
                    Text.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                    return;
                case IDictionary dictionary:
                    AppendCollectionType(value);
                    var entries = new List<(string Key, object? Value)>();
                    foreach (DictionaryEntry entry in dictionary)
                        entries.Add((Of(entry.Key, CollectionTypes), entry.Value));
                    Text.Append('{');
                    foreach (var (key, item) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
                    {
                        Text.Append(key).Append(':');
                        Write(item, depth + 1);
                        Text.Append(',');
                    }
                    Text.Append('}');
                    return;
                case IEnumerable sequence:
                    AppendCollectionType(value);
                    Text.Append('[');
                    foreach (var item in sequence)
                    {
                        Write(item, depth + 1);
                        Text.Append(',');
                    }
                    Text.Append(']');
                    return;
            }
            var type = value.GetType();
            Text.Append(type.Name).Append('(');
            foreach (
                var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .Where(p => p.GetIndexParameters().Length == 0 && !Caches.Contains(p.Name))
                    .OrderBy(p => p.Name, StringComparer.Ordinal)
            )
            {
                Text.Append(property.Name).Append('=');
                Write(property.GetValue(value), depth + 1);
                Text.Append(';');
            }
            Text.Append(')');
        }
    }
}
