using CrossMargin.Ledger.Application.Pipeline;
using CrossMargin.Ledger.EventStore.Port;
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
    /// <summary>The store could not complete the work (busy, unreachable, full disk, damaged): run again once the cause
    /// is gone.</summary>
    public const int StoreFailed = 3;

    /// <summary>An unexpected failure inside the program: a defect; the message and <c>--debug</c>'s trace belong in a
    /// bug report.</summary>
    public const int Internal = 4;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;

    /// <summary>Prints <paramref name="failure"/> to standard error and returns its exit code.</summary>
    public static int Report(Exception failure, bool debug)
    {
        var cause = failure is CommandsPartlyAppliedException partly ? partly.InnerException! : failure;
        var (code, what) = cause switch
        {
            StoreBusyException
            or StoreDamagedException
            or WrongExpectedVersionException
            or CommitOutcomeUnknownException => (StoreFailed, "the store"),
            IOException or SqliteException or NpgsqlException or TimeoutException => (StoreFailed, "the store"),
            Marten.Exceptions.MartenException => (StoreFailed, "the store"),
            _ => (Internal, "internal error"),
        };
        Console.Error.WriteLine($"error: {what}: {Describe(cause)}");
        Console.Error.WriteLine(
            code == StoreFailed
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
