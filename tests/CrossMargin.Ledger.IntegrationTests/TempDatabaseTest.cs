namespace CrossMargin.Ledger.IntegrationTests;

/// <summary>A test with a fresh directory for files and a fresh PostgreSQL database, both removed afterwards.</summary>
public abstract class TempDatabaseTest
{
    /// <summary>The test's directory.</summary>
    protected TempDirectory Directory { get; private set; } = null!;

    /// <summary>The test's database.</summary>
    protected TempDatabase Database { get; private set; } = null!;

    [SetUp]
    public async Task CreateDirectoryAndDatabase()
    {
        Directory = new TempDirectory();
        Database = await TestPostgres.CreateDatabaseAsync();
    }

    [TearDown]
    public async Task DropDirectoryAndDatabase()
    {
        // null when the set-up was ignored (no PostgreSQL outside CI)
        Directory?.Dispose();
        if (Database is not null)
            await Database.DisposeAsync();
    }
}
