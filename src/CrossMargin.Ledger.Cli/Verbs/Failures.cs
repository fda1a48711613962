using CrossMargin.Ledger.Application.Pipeline;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary>
/// What the program says when a verb fails for a reason other than its input: one line naming the failure,
/// the documented exit code, and no stack trace unless <c>--debug</c> asks for it. Every result printed
/// before the failure is committed; nothing after it is.
/// </summary>
public static class Failures
{
    /// <summary>Prints <paramref name="failure"/> to standard error and returns its exit code.</summary>
    public static int Report(Exception failure, bool debug)
    {
        var cause = failure is CommandsPartlyAppliedException partly ? partly.InnerException! : failure;
        var code = ExitCodes.Of(cause);
        var what = code == ExitCodes.StoreFailed ? "the store" : "internal error";
        Console.Error.WriteLine($"error: {what}: {Describe(cause)}");
        Console.Error.WriteLine(
            code == ExitCodes.StoreFailed
                ? "every result printed above is committed, nothing after it; running the same input again is safe "
                    + "(lines with a commandId are answered from their first result)"
                : "this is a defect in the ledger; run again with --debug for the stack trace"
        );
        if (debug)
            Console.Error.WriteLine(failure.ToString());
        return code;
    }

    private static string Describe(Exception e) =>
        e switch
        {
            SqliteException s =>
                $"SQLite error {s.SqliteErrorCode}: {s.Message.Replace("SQLite Error ", "", StringComparison.Ordinal)}",
            PostgresException p => $"PostgreSQL {p.SqlState}: {p.MessageText}",
            _ => e.Message,
        };
}
