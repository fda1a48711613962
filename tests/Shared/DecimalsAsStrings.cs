using CrossMargin.Ledger.EventStore.Json;
using Newtonsoft.Json;
using Snapshooter.Core.Serialization;

namespace CrossMargin.Ledger.TestSupport;

/// <summary>Snapshooter compares numbers as doubles; ledger snapshots hold decimals as exact strings.</summary>
public sealed class DecimalsAsStrings : SnapshotSerializerSettings
{
    public override JsonSerializerSettings Extend(JsonSerializerSettings settings)
    {
        settings.Converters.Add(new DecimalStringConverter());
        settings.FloatParseHandling = FloatParseHandling.Decimal;
        return settings;
    }
}
