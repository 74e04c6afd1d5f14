using ReturnOps.Grains.Agreements;
using ReturnOps.Grains.Countries;

namespace ReturnOps.Grains.DemoData;

/// <summary>The participants named by the JCP conference (domain.md) and the demo's destinations.</summary>
public static class JcpParticipants
{
    /// <summary>The 19 named participants: 13 European (Switzerland Schengen-associated) and 6 Western Balkan states.</summary>
    public static IReadOnlyList<Country> Participants { get; } =
    [
        Eu("AT", "Austria", "VIE"),
        Eu("HR", "Croatia", "ZAG"),
        Eu("CZ", "Czech Republic", "PRG"),
        Eu("BE", "Belgium", "BRU"),
        Eu("BG", "Bulgaria", "SOF"),
        Eu("DE", "Germany", "FRA", "MUC", "DUS", "BER"),
        Eu("FR", "France", "CDG"),
        Eu("HU", "Hungary", "BUD"),
        Eu("PL", "Poland", "WAW"),
        Eu("RO", "Romania", "OTP"),
        Eu("SK", "Slovakia", "BTS"),
        Eu("SI", "Slovenia", "LJU"),
        new("CH", "Switzerland", CountryGroup.SchengenAssociated, ["ZRH", "GVA"], Authority("Switzerland")),
        Balkans("AL", "Albania", "TIA"),
        Balkans("BA", "Bosnia and Herzegovina", "SJJ"),
        Balkans("XK", "Kosovo", "PRN"),
        Balkans("ME", "Montenegro", "TGD"),
        Balkans("MK", "North Macedonia", "SKP"),
        Balkans("RS", "Serbia", "BEG"),
    ];

    /// <summary>Third countries the demo returns to.</summary>
    public static IReadOnlyList<Country> Destinations { get; } =
    [
        new("NG", "Nigeria", CountryGroup.ThirdCountry, ["LOS", "ABV"], Authority("Nigeria")),
        new("PK", "Pakistan", CountryGroup.ThirdCountry, ["ISB", "LHE"], Authority("Pakistan")),
        new("GE", "Georgia", CountryGroup.ThirdCountry, ["TBS"], Authority("Georgia")),
        // Rule 20: a partner beyond agreements; it identifies its nationals through its embassies.
        new("CN", "China", CountryGroup.ThirdCountry, ["PEK", "PVG"], "Embassy of the People's Republic of China"),
    ];

    /// <summary>
    /// Readmission clocks and identification terms. The Western Balkan reply days are domain.md's (EU–Serbia also +6 on
    /// request); silence as acceptance and the 90-day transfer window are demo assumptions, as are the third countries' figures.
    /// Identification (rule 17): the EU agreements' six months' validity and 14 days for a new document when the transfer
    /// slips; which destinations accept the European travel document for return is a demo assumption.
    /// China (rule 20): a practical arrangement, not an agreement: identification through its embassy, longer clocks
    /// (demo assumptions), no silence-means-acceptance, no European travel document.
    /// </summary>
    public static IReadOnlyList<ReadmissionClock> Agreements { get; } =
    [
        new("BA", 10, 0, true, 90, Identification: Eu(10, acceptsEuDocument: true)),
        new("ME", 12, 0, true, 90, Identification: Eu(12, acceptsEuDocument: true)),
        new("AL", 14, 0, true, 90, Identification: Eu(14, acceptsEuDocument: true)),
        new("RS", 10, 6, true, 90, Identification: Eu(10, acceptsEuDocument: true)),
        new("GE", 12, 0, false, 90, Identification: Eu(12, acceptsEuDocument: true)),
        new("PK", 30, 30, false, 90, Identification: Eu(30, acceptsEuDocument: false)),
        new("NG", 30, 0, false, 90, Identification: Eu(30, acceptsEuDocument: false)),
        new("CN", 60, 0, false, 90, PartnerBasis.Arrangement, new IdentificationClock(90, 30, 6, 30, AcceptsEuTravelDocument: false, ThroughEmbassy: true)),
    ];

    private static IdentificationClock Eu(int replyDays, bool acceptsEuDocument) =>
        IdentificationClock.EuAgreement with { ReplyDays = replyDays, AcceptsEuTravelDocument = acceptsEuDocument };

    private static Country Eu(string code, string name, params string[] airports) =>
        new(code, name, CountryGroup.EU, airports, Authority(name));

    private static Country Balkans(string code, string name, params string[] airports) =>
        new(code, name, CountryGroup.WesternBalkans, airports, Authority(name));

    private static string Authority(string name) => $"National return authority of {name}";
}
