namespace ReturnOps.Grains.Costs;

/// <summary>
/// One operation's cost record, kept beside the operation (its own grain and row): cost lines do not grow the operation's
/// state, and the operation grain stays as it was. Persisted as JSON through <see cref="GrainsJsonContext"/>; property names
/// are the stored shape.
/// </summary>
[GenerateSerializer]
[Alias("ReturnOps.OperationCostsState")]
public sealed class OperationCostsState
{
    [Id(0)]
    public List<CostLine> Costs { get; set; } = [];

    [Id(1)]
    public List<CoFinancingLine> CoFinancing { get; set; } = [];
}
