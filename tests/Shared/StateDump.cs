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

    public static string Of(object? value)
    {
        var text = new StringBuilder();
        Write(text, value, 0);
        return text.ToString();
    }

    private static void Write(StringBuilder text, object? value, int depth)
    {
        if (depth > 24)
            throw new InvalidOperationException("the object graph is deeper than a ledger state");
        switch (value)
        {
            case null:
                text.Append("null");
                return;
            case string s:
                text.Append('"').Append(s).Append('"');
                return;
            case decimal d:
                text.Append(d.ToString(CultureInfo.InvariantCulture)).Append('m');
                return;
            case bool or int or long or Enum:
                text.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                return;
            case IDictionary dictionary:
                var entries = new List<(string Key, object? Value)>();
                foreach (DictionaryEntry entry in dictionary)
                    entries.Add((Of(entry.Key), entry.Value));
                text.Append('{');
                foreach (var (key, item) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    text.Append(key).Append(':');
                    Write(text, item, depth + 1);
                    text.Append(',');
                }
                text.Append('}');
                return;
            case IEnumerable sequence:
                text.Append('[');
                foreach (var item in sequence)
                {
                    Write(text, item, depth + 1);
                    text.Append(',');
                }
                text.Append(']');
                return;
        }
        var type = value.GetType();
        text.Append(type.Name).Append('(');
        foreach (
            var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0 && !Caches.Contains(p.Name))
                .OrderBy(p => p.Name, StringComparer.Ordinal)
        )
        {
            text.Append(property.Name).Append('=');
            Write(text, property.GetValue(value), depth + 1);
            text.Append(';');
        }
        text.Append(')');
    }
}
