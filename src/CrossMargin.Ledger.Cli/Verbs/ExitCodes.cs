using CrossMargin.Ledger.Application.Apply;
using CrossMargin.Ledger.EventStore.Port;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary>
/// Every exit code of the <c>ledger</c> program, and the one place results and failures become codes; part of
/// the CLI contract (docs/cli.md).
/// </summary>
public static class ExitCodes
{
    /// <summary>The verb did what was asked (<c>apply</c>: every line accepted; <c>verify</c>: everything
    /// holds).</summary>
    public const int Ok = 0;

    /// <summary>
    /// The input or the log is not what the verb needs: a malformed line (the lines before it stay applied), a bad
    /// option, a missing file or account, a failed check of <c>verify</c>.
    /// </summary>
    public const int Invalid = 1;

    /// <summary><c>apply</c>: every line was a command, some were rejected by a rule.</summary>
    public const int SomeRejected = 2;

    /// <summary>The store could not complete the work (busy, unreachable, full disk, damaged): run again once the
    /// cause is gone.</summary>
    public const int StoreFailed = 3;

    /// <summary>An unexpected failure inside the program: a defect for a bug report (<c>--debug</c> prints the
    /// trace).</summary>
    public const int Internal = 4;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;

    /// <summary>The code of an <c>apply</c> run.</summary>
    public static int Of(ApplySummary summary) =>
        summary switch
        {
            ApplySummary.AllAccepted => Ok,
            ApplySummary.SomeRejected => SomeRejected,
            ApplySummary.StoppedAtMalformed => Invalid,
            _ => throw new ArgumentOutOfRangeException(nameof(summary), summary, "an apply summary without a code"),
        };

    /// <summary>The code of a failure that stopped a verb: the store's (busy, unreachable, full, damaged, a commit of
    /// unknown outcome) or a defect.</summary>
    public static int Of(Exception failure) =>
        failure switch
        {
            StoreBusyException
            or StoreDamagedException
            or MalformedEventException
            or MalformedRecordException
            or WrongExpectedVersionException
            or CommitOutcomeUnknownException => StoreFailed,
            IOException or SqliteException or NpgsqlException or TimeoutException => StoreFailed,
            Marten.Exceptions.MartenException => StoreFailed,
            _ => Internal,
        };
}
