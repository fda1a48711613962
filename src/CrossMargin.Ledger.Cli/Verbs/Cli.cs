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
        bool readOnly = false
    )
    {
        var location = StoreLocation.Resolve(parse.GetValue(store), out var error);
        if (error is not null)
        {
            Fail(error);
            return null;
        }
        try
        {
            return await LedgerHost.OpenAsync(location, ct, readOnly).ConfigureAwait(false);
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
        return 1;
    }
}
