namespace CrossMargin.Ledger.EventStore.Port;

/// <summary>A stream moved on since the command read it; reload and decide again.</summary>
public sealed class WrongExpectedVersionException(string stream, long expected, long actual)
    : Exception($"stream {stream} is at version {actual}, the append expected {expected}")
{
    /// <summary>The stream that moved.</summary>
    public string Stream { get; } = stream;
}

/// <summary>A command id was reused for a different command.</summary>
public sealed class IdempotencyConflictException(string commandId)
    : Exception(
        $"command id '{commandId}' was already used for a different command; a resend must carry the same content"
    );

/// <summary>Event data does not match the JSON Schema of its wire type: nothing was appended.</summary>
public sealed class EventSchemaViolationException(string type, IReadOnlyList<string> errors)
    : Exception($"{type} does not match its schema: {string.Join("; ", errors)}")
{
    /// <summary>Each violation with its JSON path.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>A batch append holds a command id that is already recorded (or twice): nothing was appended.</summary>
public sealed class CommandAlreadyRecordedException(string commandId)
    : Exception(
        $"command id '{commandId}' is already recorded or repeated in the batch; append it alone to get its first "
            + $"result"
    );

/// <summary>Another writer held the store for longer than the writer waits: nothing was written; try again.</summary>
public sealed class StoreBusyException(string message, Exception? inner = null)
    : Exception($"{message}; nothing was written, run the command again", inner);

/// <summary>A stored row cannot be read as an event (an id that is not a GUID, a missing column…); <c>verify</c>
/// reports it at its position.</summary>
public sealed class MalformedEventException(long position, string reason, Exception? inner = null)
    : Exception($"the event at global position {position} cannot be read: {reason}", inner)
{
    /// <summary>The row's global position.</summary>
    public long Position { get; } = position;
}

/// <summary>
/// The store failed while committing a turn: whether the turn's commands were committed is unknown. Nothing is
/// retried; running the same input again is safe for lines with a command id (they are answered from their record).
/// </summary>
public sealed class CommitOutcomeUnknownException(Exception inner)
    : Exception(
        $"the store failed while committing ({inner.Message}); whether the last group of commands was committed is "
            + $"unknown",
        inner
    );

/// <summary>A record kept beside the events (a command record, a stream head) cannot be read, e.g. a hash that is
/// not a SHA-256 digest; <c>verify</c> reports it as a problem.</summary>
public sealed class MalformedRecordException(string reason) : Exception(reason);
