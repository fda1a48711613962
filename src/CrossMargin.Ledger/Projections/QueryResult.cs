namespace CrossMargin.Ledger.Projections;

/// <summary>
/// A read model as rows: what <c>ledger query</c> prints as a table, JSON or CSV and what a regulator's SQL
/// view returns. Values are canonical text (decimals without trailing zeros, null when absent).
/// </summary>
public sealed record QueryResult(
    string Name,
    long GlobalPosition,
    IReadOnlyList<string> Columns,
    IReadOnlyList<IReadOnlyList<string?>> Rows
);
