using CrossMargin.Ledger.Application.Apply;
using CrossMargin.Ledger.Commands;
using Newtonsoft.Json;

namespace CrossMargin.Ledger.Tests.Contracts;

/// <summary>The per-line answers of <c>apply</c> (and of a service host) print exactly as docs/cli.md shows
/// them.</summary>
public sealed class LineResultTests
{
    private static string Json(LineResult result) => result.ToJson().ToString(Formatting.None);

    [Test]
    public void An_accepted_line_lists_its_events_with_their_data_as_json()
    {
        var deposit = new EventRecord(
            7,
            "account-alice",
            2,
            "funds-deposited.v1",
            """{"account":"alice","amount":"1"}"""
        );
        const string expected =
            "{\"line\":3,\"status\":\"accepted\",\"events\":[{\"globalPosition\":7,"
            + "\"stream\":\"account-alice\",\"streamVersion\":2,\"type\":\"funds-deposited.v1\","
            + "\"data\":{\"account\":\"alice\",\"amount\":\"1\"}}]}";
        Assert.That(Json(new LineResult.Accepted(3, [deposit], Duplicate: false)), Is.EqualTo(expected));
    }

    [Test]
    public void A_duplicate_says_so_last_and_only_when_it_is_one()
    {
        Assert.That(
            Json(
                new LineResult.Rejected(
                    4,
                    RejectionCode.NoPosition,
                    "alice has no position in BTCUSDT",
                    Duplicate: true
                )
            ),
            Is.EqualTo(
                """{"line":4,"status":"rejected","code":"NoPosition","message":"alice has no position in BTCUSDT","""
                    + "\"duplicate\":true}"
            )
        );
        Assert.That(Json(new LineResult.Accepted(1, [], Duplicate: false)), Does.Not.Contain("duplicate"));
    }

    [Test]
    public void A_malformed_line_names_its_line_in_the_message()
    {
        var result = new LineResult.Malformed(
            9,
            MalformedReason.IdConflict,
            "command id 'x' was used for another command"
        );
        Assert.That(
            Json(result),
            Is.EqualTo(
                """{"line":9,"status":"malformed","message":"line 9: command id 'x' was used for another command"}"""
            )
        );
    }
}
