using System.Globalization;
using System.Text.RegularExpressions;
using ReturnOps.Grains.Hosting;
using ReturnOps.Grains.Operations;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Grains.Costs;

/// <summary>
/// Rule 19: an operation's costs and co-financing, and the statement that splits the net cost by seats. Corrections are open
/// from Draft until the operation ends (Completed or Cancelled): invoices arrive after the flight, and the organiser completes
/// the operation once they are in. From then on the statement is final (409 <c>costs-final</c>).
/// </summary>
[GrainType("operation-costs")]
public sealed partial class OperationCostsGrain([PersistentState("state", GrainsModule.StorageName)] IPersistentState<OperationCostsState> state,
    [FromKeyedServices(DomainClock.Key)] TimeProvider clock) : DomainGrain, IOperationCostsGrain
{
    public const string Currency = "EUR";

    private OperationCostsState S => state.State;
    private string Id => GetPrimaryKeyString();
    private long Version => long.TryParse(state.Etag, out var version) ? version : 0;

    public async Task<CostsView> GetCosts(Caller caller)
    {
        var basis = await Basis();
        if (!caller.IsCoordinatorOf(basis.Organiser) && caller.Role != Caller.Secretariat)
        {
            throw new AccessDeniedException("The organiser and the secretariat read the cost record; a participating state reads its statement.");
        }
        return View(basis);
    }

    public Task<CostsView> RecordCost(Caller caller, string lineId, CostLineEntry entry, long? expectedVersion = null) =>
        ChangeAsync(caller, expectedVersion, basis =>
        {
            Check(entry);
            if (S.Costs.Find(l => l.Id == lineId) is { } existing)
            {
                // A retried request (same id): answer as the first time, change nothing.
                return existing with { RecordedAt = default, Id = "" } == Line("", entry) with { RecordedAt = default }
                    ? false : throw new DomainRuleException(RuleCode.Validation, "This line id is already used for another line.");
            }
            CheckLineCount();
            S.Costs.Add(Line(lineId, entry));
            return true;
        }, retryOf: () => S.Costs.Exists(l => l.Id == lineId));

    public Task<CostsView> CorrectCost(Caller caller, string lineId, CostLineEntry entry, long? expectedVersion = null) =>
        ChangeAsync(caller, expectedVersion, _ =>
        {
            Check(entry);
            var index = S.Costs.FindIndex(l => l.Id == lineId);
            S.Costs[index >= 0 ? index : throw new ResourceNotFoundException($"Cost line {lineId} not found.")] = Line(lineId, entry);
            return true;
        });

    public Task<CostsView> RecordCoFinancing(Caller caller, string lineId, CoFinancingEntry entry, long? expectedVersion = null) =>
        ChangeAsync(caller, expectedVersion, _ =>
        {
            Check(entry);
            if (S.CoFinancing.Find(l => l.Id == lineId) is { } existing)
            {
                return existing with { RecordedAt = default, Id = "" } == Line("", entry) with { RecordedAt = default }
                    ? false : throw new DomainRuleException(RuleCode.Validation, "This line id is already used for another line.");
            }
            CheckLineCount();
            S.CoFinancing.Add(Line(lineId, entry));
            return true;
        }, retryOf: () => S.CoFinancing.Exists(l => l.Id == lineId));

    public Task<CostsView> CorrectCoFinancing(Caller caller, string lineId, CoFinancingEntry entry, long? expectedVersion = null) =>
        ChangeAsync(caller, expectedVersion, _ =>
        {
            Check(entry);
            var index = S.CoFinancing.FindIndex(l => l.Id == lineId);
            S.CoFinancing[index >= 0 ? index : throw new ResourceNotFoundException($"Co-financing line {lineId} not found.")] = Line(lineId, entry);
            return true;
        });

    public Task<CostsView> RemoveLine(Caller caller, string lineId, long? expectedVersion = null) =>
        ChangeAsync(caller, expectedVersion, _ => S.Costs.RemoveAll(l => l.Id == lineId) + S.CoFinancing.RemoveAll(l => l.Id == lineId) > 0
            ? true : throw new ResourceNotFoundException($"Line {lineId} not found."));

    public async Task<CostStatement> GetStatement(Caller caller, string? country = null)
    {
        var basis = await Basis();
        var secretariat = caller.Role == Caller.Secretariat;
        if (!secretariat && caller.Role != Caller.Coordinator)
        {
            throw new AccessDeniedException("Cost statements are for the participating states and the secretariat.");
        }
        var (costs, coFinancing, net) = Totals();
        var shares = CostShares.Split(net, basis.Seats, basis.Organiser);
        // Rule 16's convention: another state's statement is not visible to a coordinator, so it does not exist for it (404).
        var wanted = secretariat ? country : country ?? caller.Country;
        IReadOnlyList<StateShare> visible = wanted is null ? shares : [.. shares.Where(s => s.Country == wanted)];
        if (visible.Count == 0 || (!secretariat && wanted != caller.Country))
        {
            throw new ResourceNotFoundException($"No cost statement of {wanted} on operation {Id}.");
        }
        return new CostStatement(Id, basis.Organiser, basis.Status, IsFinal(basis), Currency, basis.SeatBasis, shares.Sum(s => s.Seats),
            costs, coFinancing, net, [.. S.Costs], [.. S.CoFinancing], visible, Version);
    }

    /// <summary>
    /// The organiser's change, decided after the last await (the operation's answer) so nothing interleaves; a refusal throws
    /// before the state changes. <paramref name="change"/> answers whether anything changed (false: a retry, answered as before).
    /// </summary>
    private async Task<CostsView> ChangeAsync(Caller caller, long? expectedVersion, Func<CostBasis, bool> change, Func<bool>? retryOf = null)
    {
        var basis = await Basis();
        if (!caller.IsCoordinatorOf(basis.Organiser))
        {
            throw new AccessDeniedException("Only the organiser records the operation's costs.");
        }
        if (retryOf?.Invoke() != true)
        {
            // After the retry check: a repeated request answers as the first time although its own write moved the version.
            CheckExpectedVersion(expectedVersion);
            if (IsFinal(basis))
            {
                throw new DomainRuleException(RuleCode.CostsFinal, $"The operation is {basis.Status}: its cost statement is final.");
            }
        }
        var before = (Costs: S.Costs.ToList(), CoFinancing: S.CoFinancing.ToList());
        try
        {
            if (!change(basis))
            {
                return View(basis);
            }
            var (costs, coFinancing, _) = Totals();
            if (coFinancing > costs)
            {
                throw new DomainRuleException(RuleCode.CoFinancingBeyondCosts,
                    $"Co-financing of {Euros(coFinancing)} would exceed the costs of {Euros(costs)}.");
            }
        }
        catch (RefusalException)
        {
            // A refusal leaves the state as it was (the activation stays: RefusalException promises nothing changed).
            (S.Costs, S.CoFinancing) = before;
            throw;
        }
        await state.WriteStateAsync();
        return View(basis);
    }

    private Task<CostBasis> Basis() => GrainFactory.GetGrain<IReturnOperationGrain>(Id).GetCostBasis();

    private static bool IsFinal(CostBasis basis) => basis.Status is OperationStatus.Completed or OperationStatus.Cancelled;

    private CostsView View(CostBasis basis)
    {
        var (costs, coFinancing, net) = Totals();
        return new CostsView(Id, basis.Organiser, basis.Status, IsFinal(basis), Currency, [.. S.Costs], [.. S.CoFinancing], costs, coFinancing, net, Version);
    }

    /// <summary>Net cost = costs less co-financing, never below zero (co-financing beyond the costs is refused).</summary>
    private (decimal Costs, decimal CoFinancing, decimal Net) Totals()
    {
        var costs = S.Costs.Sum(l => l.Amount);
        var coFinancing = S.CoFinancing.Sum(l => l.Amount);
        return (costs, coFinancing, Math.Max(0m, costs - coFinancing));
    }

    private void CheckExpectedVersion(long? expectedVersion)
    {
        if (expectedVersion is { } expected && expected != Version)
        {
            throw new PreconditionFailedException(
                $"If-Match \"{expected.ToString(CultureInfo.InvariantCulture)}\" does not match the current ETag \"{Version.ToString(CultureInfo.InvariantCulture)}\".");
        }
    }

    private void CheckLineCount()
    {
        if (S.Costs.Count + S.CoFinancing.Count >= CostLimits.MaxLines)
        {
            throw new DomainRuleException(RuleCode.Validation, $"An operation records at most {CostLimits.MaxLines} lines.");
        }
    }

    private CostLine Line(string id, CostLineEntry e) =>
        new(id, e.Category, e.Amount, e.Description.Trim(), e.From, e.To, clock.GetUtcNow());

    private CoFinancingLine Line(string id, CoFinancingEntry e) =>
        new(id, e.Source.Trim(), e.Amount, string.IsNullOrWhiteSpace(e.Description) ? null : e.Description.Trim(), clock.GetUtcNow());

    private static void Check(CostLineEntry entry)
    {
        var problems = AmountProblems(entry.Amount);
        if (string.IsNullOrWhiteSpace(entry.Description) || entry.Description.Length > CostLimits.MaxDescription)
        {
            problems.Add($"a description of 1 to {CostLimits.MaxDescription} characters");
        }
        TextProblems(problems, entry.Description);
        var isCharter = entry.Category == CostCategory.Charter;
        if (isCharter && (entry.From is null || entry.To is null || !Iata().IsMatch(entry.From) || !Iata().IsMatch(entry.To) || entry.From == entry.To))
        {
            problems.Add("for a charter leg, two different IATA airport codes (from, to)");
        }
        if (!isCharter && (entry.From is not null || entry.To is not null))
        {
            problems.Add("airports (from, to) only on a charter leg");
        }
        Refuse("A cost line needs ", problems);
    }

    private static void Check(CoFinancingEntry entry)
    {
        var problems = AmountProblems(entry.Amount);
        if (string.IsNullOrWhiteSpace(entry.Source) || entry.Source.Length > CostLimits.MaxSource)
        {
            problems.Add($"a source of 1 to {CostLimits.MaxSource} characters (e.g. Frontex)");
        }
        if (entry.Description is { Length: > CostLimits.MaxDescription })
        {
            problems.Add($"a description of at most {CostLimits.MaxDescription} characters");
        }
        TextProblems(problems, entry.Source, entry.Description);
        Refuse("Co-financing needs ", problems);
    }

    /// <summary>
    /// Texts that end up in a spreadsheet (the statement's CSV) hold no control characters (NUL, U+001F) and no invisible
    /// format characters (U+200B): both can hide what a cell starts with.
    /// </summary>
    private static void TextProblems(List<string> problems, params string?[] texts)
    {
        if (texts.Any(t => t is not null && !CostLimits.IsPlainText(t)))
        {
            problems.Add("texts without control or invisible format characters");
        }
    }

    /// <summary>Exact euros: positive, whole cents, at most <see cref="CostLimits.MaxAmount"/>.</summary>
    private static List<string> AmountProblems(decimal amount) =>
        amount <= 0 || amount > CostLimits.MaxAmount || decimal.Round(amount, 2) != amount
            ? [$"an amount in euros above 0 and at most {CostLimits.MaxAmount.ToString("0", CultureInfo.InvariantCulture)}, in whole cents (two decimals at most)"]
            : [];

    private static void Refuse(string what, List<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new DomainRuleException(RuleCode.Validation, what + string.Join(", ", problems) + ".");
        }
    }

    internal static string Euros(decimal amount) => "EUR " + amount.ToString("0.00", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex Iata();
}
