using Microsoft.Data.Sqlite;

namespace CrossMargin.Ledger.IntegrationTests.Cli;

/// <summary>
/// The tamper matrix: each case edits a store behind the ledger's back the way an operator or attacker could
/// (event rows, seals, command records, stream heads, archive flags, keys), then runs <c>ledger verify</c>, which
/// must fail (exit 1) naming what is wrong and where — and never crash or write. One test per case and store.
/// </summary>
public sealed class TamperMatrixTests : TempDatabaseTest
{
    // five commands with ids: four events at positions 1–4 (of streams account-a, account-b, account-a, account-c)
    // and one rejection (w-1)
    private const string Lines = """
        {"commandId":"c1","type":"deposit","account":"a","asset":"USDT","amount":"100"}
        {"commandId":"c2","type":"deposit","account":"b","asset":"USDT","amount":"50"}
        {"commandId":"c3","type":"deposit","account":"a","asset":"USDT","amount":"7"}
        {"commandId":"w-1","type":"withdraw","account":"b","asset":"USDT","amount":"500"}
        {"commandId":"c4","type":"deposit","account":"c","asset":"USDT","amount":"1"}
        """;

    public sealed record Tampering(string Name, string Sql, string Expected)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Tampering> SqliteCases() =>
        [
            new(
                "edited amount",
                """UPDATE events SET data = replace(data, '"100"', '"1000"') WHERE global_position = 1""",
                "chain broken at global position 1: account-a v1 (funds-deposited.v1) content hashes to"
            ),
            new(
                "event id not a GUID",
                "UPDATE events SET event_id = 'not-a-guid' WHERE global_position = 2",
                "chain broken at global position 2: the event at global position 2 cannot be read: event id "
                    + "'not-a-guid' is not a GUID"
            ),
            new(
                "text after the JSON",
                "UPDATE events SET data = data || ' trailing' WHERE global_position = 3",
                "chain broken at global position 3: account-a v2 (funds-deposited.v1) data is not ledger JSON: "
                    + "Additional text encountered after finished reading JSON content"
            ),
            new(
                "a float",
                """UPDATE events SET data = replace(data, '"amount":"1"', '"amount":1.5') WHERE global_position = 4""",
                "chain broken at global position 4: account-c v1 (funds-deposited.v1) data is not ledger JSON"
            ),
            new(
                "data not JSON",
                "UPDATE events SET data = 'hello' WHERE global_position = 2",
                "chain broken at global position 2: account-b v1 (funds-deposited.v1) data is not ledger JSON"
            ),
            new(
                "a key given twice",
                """UPDATE events SET data = replace(data, '{"account"', '{"amount":"9000","account"') WHERE """
                    + """global_position = 1""",
                "chain broken at global position 1: account-a v1 (funds-deposited.v1) data is not ledger JSON: "
                    + "Property with the name 'amount' already exists"
            ),
            new(
                "a key renamed in case",
                """UPDATE events SET data = replace(data, '"amount"', '"Amount"') WHERE global_position = 1""",
                "chain broken at global position 1: account-a v1 (funds-deposited.v1) content hashes to"
            ),
            new(
                "command record deleted",
                "DELETE FROM commands WHERE command_id = 'c3'",
                "chain broken at global position 3: events from position 3 carry command id 'c3', which has no "
                    + "command record"
            ),
            new(
                "command record pointed elsewhere",
                "UPDATE commands SET first_position = 2, last_position = 2 WHERE command_id = 'c1'",
                "chain broken at global position 1: command 'c1' is recorded at positions 2–2, but its events are at "
                    + "1–1"
            ),
            new(
                "record for a future command",
                "INSERT INTO commands SELECT 'c9', payload_hash, 9, 9 FROM commands WHERE command_id = 'c1'",
                "chain broken at global position 9: command 'c9' is recorded with 1 event(s), but no event carries "
                    + "its id"
            ),
            new(
                "payload hash that is not a digest",
                "UPDATE commands SET payload_hash = 'x' WHERE command_id = 'c2'",
                "store damaged: the record of command 'c2' holds payload hash 'x', which is not a SHA-256 digest"
            ),
            new(
                "rejection record edited",
                "UPDATE rejected_commands SET payload = replace(payload, '500', '5') WHERE command_id = 'w-1'",
                "store damaged: the rejection record of command 'w-1' holds content that does not hash to its "
                    + "payload hash"
            ),
            new(
                "rejection recorded for an accepted command",
                "INSERT INTO rejected_commands SELECT 'c4', payload_hash, payload, code, message, 1 FROM "
                    + "rejected_commands",
                "chain broken at global position 4: command 'c4' is recorded as rejected, but events from position 4 "
                    + "carry its id"
            ),
            new(
                "stream head bumped",
                "UPDATE streams SET version = version + 1 WHERE stream = 'account-a'",
                "store damaged: stream account-a is recorded at version 3, its last event is version 2"
            ),
            new(
                "stream head hash rewritten",
                "UPDATE streams SET last_hash = '00' WHERE stream = 'account-b'",
                "store damaged: stream account-b is recorded with last hash 00"
            ),
            new(
                "seals deleted, events kept",
                "DELETE FROM seals WHERE global_position > 2",
                "chain broken at global position 3: no seal for global position 3"
            ),
            new(
                "last position renumbered",
                "UPDATE events SET global_position = 9 WHERE global_position = 4; UPDATE seals SET global_position = "
                    + "9 WHERE global_position = 4",
                "chain broken at global position 9: global position 9 follows 3: positions in this store have no gaps"
            ),
        ];

    public static IEnumerable<Tampering> PostgresCases() =>
        [
            new(
                "edited amount",
                """UPDATE ledger.mt_events SET data = jsonb_set(data, '{amount}', '"1000"') WHERE seq_id = {1}""",
                "chain broken at global position {1}: account-a v1 (funds-deposited.v1) content hashes to"
            ),
            new(
                "a float",
                """UPDATE ledger.mt_events SET data = jsonb_set(data, '{amount}', '1.5') WHERE seq_id = {4}""",
                "chain broken at global position {4}: account-c v1 (funds-deposited.v1) data is not ledger JSON"
            ),
            new(
                "a key renamed in case",
                """UPDATE ledger.mt_events SET data = (data - 'amount') || jsonb_build_object('Amount', data -> """
                    + """'amount') WHERE seq_id = {1}""",
                "chain broken at global position {1}: account-a v1 (funds-deposited.v1) content hashes to"
            ),
            new(
                "command record deleted",
                "DELETE FROM ledger.mt_doc_ledger_command WHERE id = 'c3'",
                "chain broken at global position {3}: events from position {3} carry command id 'c3', which has no "
                    + "command record"
            ),
            new(
                "command record count changed",
                """UPDATE ledger.mt_doc_ledger_command SET data = jsonb_set(data, '{eventCount}', '2') WHERE id = """
                    + """'c1'""",
                "chain broken at global position {1}: command 'c1' is recorded with 2 event(s), but 1 carry its id"
            ),
            new(
                "record for a future command",
                """INSERT INTO ledger.mt_doc_ledger_command (id, data, mt_last_modified, mt_version, """
                    + """mt_dotnet_type) SELECT 'c9', jsonb_set(data, '{id}', '"c9"'), mt_last_modified, """
                    + """gen_random_uuid(), mt_dotnet_type FROM ledger.mt_doc_ledger_command WHERE id = 'c1'""",
                "store damaged: command 'c9' is recorded with 1 event(s), but no event carries its id"
            ),
            new(
                "payload hash that is not a digest",
                """UPDATE ledger.mt_doc_ledger_command SET data = jsonb_set(data, '{payloadHash}', '"x"') WHERE id = """
                    + """'c2'""",
                "store damaged: the record of command 'c2' holds payload hash 'x', which is not a SHA-256 digest"
            ),
            new(
                "rejection record edited",
                """UPDATE ledger.mt_doc_ledger_command SET data = jsonb_set(data, '{payload}', """
                    + """to_jsonb(replace(data ->> 'payload', '500', '5'))) WHERE id = 'w-1'""",
                "store damaged: the rejection record of command 'w-1' holds content that does not hash to its "
                    + "payload hash"
            ),
            new(
                "stream head bumped",
                "UPDATE ledger.mt_streams SET version = version + 1 WHERE id = 'account-a'",
                "store damaged: stream account-a is recorded at version 3, its last event is version 2"
            ),
            new(
                "seals deleted, events kept",
                "DELETE FROM ledger.ledger_seals WHERE global_position > {2}",
                "chain broken at global position {3}: the seal follower has sealed through global position {4}, but "
                    + "the seals end at {2}: seals were deleted"
            ),
            new(
                "a seal deleted in the middle",
                "DELETE FROM ledger.ledger_seals WHERE global_position = {2}",
                "chain broken at global position {2}: no seal for global position {2}"
            ),
            new(
                "event archived",
                "UPDATE ledger.mt_events SET is_archived = true WHERE seq_id = {2}",
                "chain broken at global position {2}: the event at global position {2} is marked archived"
            ),
        ];

    private string Store(bool postgres) => postgres ? Database.ConnectionString : Directory.File("tamper.db");

    private async Task Prepare(bool postgres)
    {
        var applied = await LedgerProcess.Run(Directory.Path, Lines, "apply", "--store", Store(postgres), "-");
        Assert.That(applied.ExitCode, Is.EqualTo(2), applied.Out + applied.Error);
        var clean = await LedgerProcess.Run(Directory.Path, null, "verify", "--store", Store(postgres));
        Assert.That(
            clean.Out,
            Does.StartWith("OK: 4 events and 4 seals verified, 5 command records and 3 stream heads match them"),
            clean.Error
        );
    }

    [TestCaseSource(nameof(SqliteCases))]
    public async Task Sqlite(Tampering tamper)
    {
        await Prepare(postgres: false);
        await using (var connection = new SqliteConnection($"Data Source={Store(false)};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = new SqliteCommand(tamper.Sql, connection);
            await command.ExecuteNonQueryAsync();
        }
        var before = await File.ReadAllBytesAsync(Store(false));
        var verify = await LedgerProcess.Run(Directory.Path, null, "verify", "--store", Store(false));
        Assert.That(verify.ExitCode, Is.EqualTo(1), verify.Out + verify.Error);
        Assert.That(verify.Error, Does.StartWith("error: " + tamper.Expected));
        Assert.That(verify.Error, Does.Not.Contain("   at "));
        Assert.That(await File.ReadAllBytesAsync(Store(false)), Is.EqualTo(before), "verify wrote nothing");
    }

    [TestCaseSource(nameof(PostgresCases))]
    public async Task Postgres(Tampering tamper)
    {
        await Prepare(postgres: true);
        var positions = new List<long>();
        await using (var connection = new Npgsql.NpgsqlConnection(Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using (
                var read = new Npgsql.NpgsqlCommand(
                    "SELECT seq_id FROM ledger.mt_events WHERE stream_id <> 'mt_tombstone' ORDER BY seq_id",
                    connection
                )
            )
            await using (var reader = await read.ExecuteReaderAsync())
                while (await reader.ReadAsync())
                    positions.Add(reader.GetInt64(0));
            string At(string text)
            {
                for (var i = 1; i <= positions.Count; i++)
                    text = text.Replace(
                        "{" + i + "}",
                        positions[i - 1].ToString(System.Globalization.CultureInfo.InvariantCulture),
                        StringComparison.Ordinal
                    );
                return text;
            }
            await using (var command = new Npgsql.NpgsqlCommand(At(tamper.Sql), connection))
                await command.ExecuteNonQueryAsync();
            var seals = await Database.ScalarAsync("SELECT count(*) FROM ledger.ledger_seals");
            var verify = await LedgerProcess.Run(Directory.Path, null, "verify", "--store", Store(true));
            Assert.That(verify.ExitCode, Is.EqualTo(1), verify.Out + verify.Error);
            Assert.That(verify.Error, Does.StartWith("error: " + At(tamper.Expected)).Or.Contain(At(tamper.Expected)));
            Assert.That(verify.Error, Does.Not.Contain("   at "));
            Assert.That(
                await Database.ScalarAsync("SELECT count(*) FROM ledger.ledger_seals"),
                Is.EqualTo(seals),
                "verify sealed nothing"
            );
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_forged_rejection_with_a_valid_hash_is_caught_by_deciding_it_again(bool postgres)
    {
        await Prepare(postgres);
        var clean = await LedgerProcess.Run(Directory.Path, null, "verify", "--reexecute", "--store", Store(postgres));
        Assert.That(
            clean.Lines,
            Does.Contain(
                "OK: 1 recorded rejection(s) decided again at their positions, each rejected by the same rule"
            ),
            clean.Error
        );
        // a rejection for a command never sent, whose content the rules would accept: a resend of that id would be
        // answered "rejected" and the deposit silently never made
        var payload = Application.Pipeline.CommandPayload.Canonical(new Commands.Deposit("z", "USDT", 5m));
        var hash = EventStore.Hashing.EventHash.Payload(payload);
        if (postgres)
        {
            var record = System.Text.Json.JsonSerializer.Serialize(
                new
                {
                    id = "forged",
                    payloadHash = hash.Hex,
                    eventCount = 0,
                    rejectionCode = "InsufficientBalance",
                    rejectionMessage = "z holds 0 USDT",
                    payload,
                    decidedAt = 0,
                }
            );
            await using var connection = new Npgsql.NpgsqlConnection(Database.ConnectionString);
            await connection.OpenAsync();
            await using var insert = new Npgsql.NpgsqlCommand(
                """
                INSERT INTO ledger.mt_doc_ledger_command (id, data, mt_last_modified, mt_version, mt_dotnet_type)
                SELECT 'forged', $1::jsonb, mt_last_modified, gen_random_uuid(), mt_dotnet_type FROM
                    ledger.mt_doc_ledger_command WHERE id = 'c1'
                """,
                connection
            );
            insert.Parameters.Add(new Npgsql.NpgsqlParameter { Value = record });
            await insert.ExecuteNonQueryAsync();
        }
        else
        {
            await using var connection = new SqliteConnection($"Data Source={Store(false)};Pooling=False");
            await connection.OpenAsync();
            await using var insert = new SqliteCommand(
                "INSERT INTO rejected_commands VALUES ('forged', $hash, $payload, 'InsufficientBalance', 'z holds 0 "
                    + "USDT', 0)",
                connection
            );
            insert.Parameters.AddWithValue("$hash", hash.Hex);
            insert.Parameters.AddWithValue("$payload", payload);
            await insert.ExecuteNonQueryAsync();
        }
        var plain = await LedgerProcess.Run(Directory.Path, null, "verify", "--store", Store(postgres));
        Assert.That(plain.ExitCode, Is.Zero, "its structure is sound: " + plain.Error);
        var reexecuted = await LedgerProcess.Run(
            Directory.Path,
            null,
            "verify",
            "--reexecute",
            "--store",
            Store(postgres)
        );
        Assert.That(reexecuted.ExitCode, Is.EqualTo(1));
        Assert.That(
            reexecuted.Error,
            Does.StartWith(
                "error: re-execution diverges: command 'forged' is recorded as rejected at global position 0 "
                    + "(InsufficientBalance: z holds 0 USDT), but the rules accept it there"
            )
        );
    }
}
