using ReturnOps.Storage;

namespace ReturnOps.Grains.Reintegration;

/// <summary>
/// The read model of reintegration referrals (module <see cref="Module"/>): one row per referral with ids, status and counts,
/// never personal data, so that lists and statistics need no grain and survive erasure (rule 15). Amounts are whole cents,
/// so sums are exact on both databases.
/// </summary>
public static class ReintegrationSchema
{
    public const string Module = "reintegration";
    public const string Referrals = "reintegration_referrals";

    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        new(Module, 1, "reintegration referrals: ids, status, follow-ups and assistance counts",
            PostgresSql: Tables("text", "integer", "bigint"),
            SqliteSql: Tables("TEXT", "INTEGER", "INTEGER")),
    ];

    // A state lists its referrals and a provider its own, newest first; statistics read a year by state and destination.
    private static string Tables(string text, string integer, string bigint) => $"""
        CREATE TABLE {Referrals} (
            id {text} PRIMARY KEY, returnee_id {text} NOT NULL, owner {text} NOT NULL, provider_id {text} NOT NULL,
            destination {text} NOT NULL, year {integer} NOT NULL, status {text} NOT NULL, referred_ms {bigint} NOT NULL,
            accepted {integer} NOT NULL, assistance_count {integer} NOT NULL, assistance_cents {bigint} NOT NULL,
            cash_cents {bigint} NOT NULL, in_kind_cents {bigint} NOT NULL, follow_up_6 {text} NOT NULL, follow_up_12 {text} NOT NULL,
            stopped {integer} NOT NULL, updated_ms {bigint} NOT NULL);
        CREATE INDEX reintegration_referrals_owner ON {Referrals} (owner, id);
        CREATE INDEX reintegration_referrals_provider ON {Referrals} (provider_id, id);
        CREATE INDEX reintegration_referrals_year ON {Referrals} (year, owner, destination);
        """;

    internal static ReadModelUpsert ReferralRow(ReferralView r, DateTimeOffset now) =>
        new(Referrals, r.Id, new Dictionary<string, object?>
        {
            ["returnee_id"] = r.ReturneeId,
            ["owner"] = r.Owner,
            ["provider_id"] = r.ProviderId,
            ["destination"] = r.Destination,
            ["year"] = r.ReferredAt.Year,
            ["status"] = r.Status.ToString(),
            ["referred_ms"] = r.ReferredAt.ToUnixTimeMilliseconds(),
            ["accepted"] = r.WasAccepted ? 1 : 0,
            ["assistance_count"] = r.Assistance.Count,
            ["assistance_cents"] = r.Assistance.Sum(a => ReferralSteps.Cents(a.AmountEur)),
            ["cash_cents"] = r.Assistance.Where(a => a.Kind == AssistanceKind.Cash).Sum(a => ReferralSteps.Cents(a.AmountEur)),
            ["in_kind_cents"] = r.Assistance.Where(a => a.Kind == AssistanceKind.InKind).Sum(a => ReferralSteps.Cents(a.AmountEur)),
            ["follow_up_6"] = FollowUpState(r, 6),
            ["follow_up_12"] = FollowUpState(r, 12),
            ["stopped"] = r.Status == ReferralStatus.Stopped ? 1 : 0,
            ["updated_ms"] = now.ToUnixTimeMilliseconds(),
        });

    private static string FollowUpState(ReferralView r, int month) => r.FollowUps.FirstOrDefault(f => f.Month == month)?.State.ToString() ?? "";

    /// <summary>
    /// A page of referrals, newest first: a state's (@owner) or a provider's (@provider), @status when asked for, before @after_id.
    /// Served by reintegration_referrals_owner or _provider.
    /// </summary>
    public static string Page(bool byProvider, bool status, bool after)
    {
        var where = new List<string> { byProvider ? "provider_id = @provider" : "owner = @owner" };
        if (status)
        {
            where.Add("status = @status");
        }
        if (after)
        {
            where.Add("id < @after_id");
        }
        return $"""
            SELECT id, returnee_id, owner, provider_id, destination, status, referred_ms, follow_up_6, follow_up_12 FROM {Referrals}
            WHERE {string.Join(" AND ", where)} ORDER BY id DESC LIMIT @limit
            """;
    }

    /// <summary>
    /// Statistics for @year by owning state and destination (one state's, @owner, when <paramref name="byOwner"/>): referrals,
    /// accepted, stopped by withdrawal, assistance deliveries and amounts in cents, follow-ups reached at 6 and 12 months.
    /// </summary>
    public static string Statistics(bool byOwner) => $"""
        SELECT owner, destination, count(*) AS referrals, sum(accepted) AS accepted, sum(stopped) AS stopped,
               sum(assistance_count) AS deliveries, sum(assistance_cents) AS cents, sum(cash_cents) AS cash_cents,
               sum(in_kind_cents) AS in_kind_cents,
               sum(CASE WHEN assistance_count > 0 THEN 1 ELSE 0 END) AS assisted,
               sum(CASE WHEN follow_up_6 = 'Reached' THEN 1 ELSE 0 END) AS reached_6,
               sum(CASE WHEN follow_up_12 = 'Reached' THEN 1 ELSE 0 END) AS reached_12
        FROM {Referrals}
        WHERE year = @year{(byOwner ? " AND owner = @owner" : "")}
        GROUP BY owner, destination ORDER BY owner, destination
        """;
}
