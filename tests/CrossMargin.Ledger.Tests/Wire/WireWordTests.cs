using CrossMargin.Ledger.Events;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.Liquidation;
using Newtonsoft.Json;

namespace CrossMargin.Ledger.Tests.Wire;

/// <summary>The words events carry are enums in the code; a text output shows each exactly as the log stores
/// it.</summary>
public sealed class WireWordTests
{
    private static readonly Type[] Words =
    [
        .. typeof(ILedgerEvent)
            .Assembly.GetTypes()
            .Where(t => t.IsEnum && t.IsPublic && t.Namespace != "CrossMargin.Ledger.Projections"),
    ];

    [Test]
    public void Every_word_reads_as_the_wire_json_writes_it_and_reads_back()
    {
        Assert.That(Words.Select(w => w.Name), Is.SupersetOf(new[] { "Side", "FillEffect", "StepRule", "Execution" }));
        foreach (var type in Words)
            foreach (var value in Enum.GetValues(type))
            {
                var json = JsonConvert.SerializeObject(value, LedgerJson.Settings);
                var word = (string)
                    typeof(WireWords).GetMethod(nameof(WireWords.Of))!.MakeGenericMethod(type).Invoke(null, [value])!;
                Assert.That(json, Is.EqualTo($"\"{word}\""), $"{type.Name}.{value}");
                Assert.That(JsonConvert.DeserializeObject(json, type, LedgerJson.Settings), Is.EqualTo(value), json);
            }
    }

    [TestCase("tier-step-down", "TierStepDown")]
    [TestCase("close-in-tier-1", "CloseInTier1")]
    [TestCase("close-step-down-cannot-restore", "CloseStepDownCannotRestore")]
    public void Step_rules_keep_their_kebab_case_words(string stored, string member) =>
        Assert.That(WireWords.Of(Enum.Parse<StepRule>(member)), Is.EqualTo(stored));
}
