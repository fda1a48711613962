using CrossMargin.Ledger.Application.Apply;
using CrossMargin.Ledger.EventStore.Json;
using CrossMargin.Ledger.Ledger;
using CrossMargin.Ledger.Tests.Properties;
using Newtonsoft.Json;

namespace CrossMargin.Ledger.Tests.Contracts;

/// <summary>
/// The text <c>apply</c> prints (<see cref="LineResult.ToJsonText"/>, streamed) against the tree it used to print
/// (<see cref="LineResult.ToJson"/>): the same text for every answer, the ledger's own events and data it would
/// never write alike.
/// </summary>
public sealed class LineResultTextProperties
{
    [Test]
    public void Every_answer_of_forty_random_venues_prints_the_trees_text()
    {
        var answers = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            var state = LedgerState.Initial;
            var position = 0L;
            var line = 0;
            foreach (var command in VenueScenario.Generate(seed, 60))
            {
                var ran = LedgerRuntime.Run(state, command);
                line++;
                LineResult result = ran.Decision switch
                {
                    Decision.Accepted a => new LineResult.Accepted(
                        line,
                        [
                            .. a.Events.Select(e =>
                            {
                                var (type, data) = EventTypeRegistry.Serialize(e.Event);
                                return new EventRecord(++position, e.Stream, position, type, data);
                            }),
                        ],
                        Duplicate: line % 7 == 0
                    ),
                    Decision.Rejected r => new LineResult.Rejected(line, r.Rejection.Code, r.Rejection.Message, false),
                    _ => throw new InvalidOperationException(),
                };
                state = ran.State;
                Assert.That(result.ToJsonText(), Is.EqualTo(result.ToJson().ToString(Formatting.None)));
                answers++;
            }
        }
        Assert.That(answers, Is.GreaterThan(2_400));
    }

    [TestCase("""{"a":"2026-12-06T08:00:00Z","b":"2026-12-06T08:00:00+02:00","c":"2026-12-06"}""")]
    [TestCase("""{"a":1.50,"b":1e400,"c":-0,"d":123456789012345678901234567890,"e":[1,[2,{"f":null}]]}""")]
    [TestCase("""{"a":"\u2028\u0085 \"quoted\" \\ é 𝄞","b":true,"c":false}""")]
    [TestCase("""{"a":1,"a":2}""")]
    [TestCase("""{"a":{"b":1,"b":{"c":2}},"d":3}""")]
    [TestCase("""{"a":1} /* a comment */""")]
    [TestCase("""{"a":/* inside */1}""")]
    [TestCase("{ \"a\" : 1 ,\n  \"b\" : [ ] }")]
    [TestCase("""{'a':'single quotes'}""")]
    public void Data_the_ledger_would_not_write_prints_what_the_tree_prints(string data)
    {
        var result = new LineResult.Accepted(
            3,
            [new EventRecord(7, "account-a", 2, "funds-deposited.v1", data)],
            false
        );
        Assert.That(result.ToJsonText(), Is.EqualTo(result.ToJson().ToString(Formatting.None)));
    }

    [TestCase("""{"a":1} trailing""")]
    [TestCase("""[1,2]""")]
    [TestCase("""{"a":""")]
    public void Data_the_tree_refuses_is_refused_the_same_way(string data)
    {
        var result = new LineResult.Accepted(
            3,
            [new EventRecord(7, "account-a", 2, "funds-deposited.v1", data)],
            false
        );
        string Outcome(Func<string> print)
        {
            try
            {
                return print();
            }
            catch (Exception e)
            {
                return e.GetType().Name + ": " + e.Message;
            }
        }
        Assert.That(Outcome(result.ToJsonText), Is.EqualTo(Outcome(() => result.ToJson().ToString(Formatting.None))));
    }
}
