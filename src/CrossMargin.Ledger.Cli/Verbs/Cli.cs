using System.CommandLine;
using CrossMargin.Ledger.Hosting;

namespace CrossMargin.Ledger.Cli.Verbs;

/// <summary>What every verb shares: opening the store named by <c>--store</c>, reporting a failure.</summary>
internal static class Cli
{
    public static async Task<LedgerHost?> OpenAsync(
        ParseResult parse,
        Option<string?> store,
        CancellationToken ct,
        bool readOnly = false,
        Application.Pipeline.WriterOptions? writer = null
    )
    {
        var resolved = StoreLocation.Resolve(parse.GetValue(store));
        if (resolved.Problem is { } error)
        {
            Fail(error);
            return null;
        }
        var location = resolved.Value;
        try
        {
            return await LedgerHost.OpenAsync(location, ct, readOnly, writer).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            Fail(e.Message);
            return null;
        }
    }

    public static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return ExitCodes.Invalid;
    }
}
