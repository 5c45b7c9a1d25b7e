namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>How many records hold one value of a data property (one group of a grouped or faceted count).</summary>
/// <param name="Value">The value, converted to the property's type; <see langword="null"/> groups null and missing values.</param>
/// <param name="Count">The number of records with that value.</param>
public sealed record MongoValueCount(object? Value, long Count);
