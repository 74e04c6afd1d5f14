using System.Net;

namespace ReturnOps.Gateway.Tests.PassengerLists;

/// <summary>
/// The PAXLST passenger list of a confirmed operation's leg, read back segment by segment with the tests' own EDIFACT reader
/// against the WCO/IATA/ICAO API guidelines' message structure (D.02B): envelope, control references and counts, escaping,
/// data minimisation, who may have it and when.
/// </summary>
public sealed class PaxlstTests(PaxlstOperation fixture) : IClassFixture<PaxlstOperation>
{
    private GatewayHost Host => fixture.Host;

    private string Path(string query = "leg=0&flight=OS1234") => $"/api/v1/operations/{fixture.Operation}/manifest/paxlst?{query}";

    [Fact]
    public async Task The_organisers_list_has_the_guidelines_envelope_counts_and_matching_control_references()
    {
        var answer = await Host.GetAsync(Path(), fixture.Organiser);

        Assert.True(answer.Status == HttpStatusCode.OK, "the organiser's list: " + answer);
        Assert.Equal("application/edifact", answer.ContentHeaders!.ContentType!.MediaType);
        Assert.Contains("no-store", answer.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var (una, segments) = EdifactReader.Read(answer.Body);
        Assert.Equal("UNA:+.? '", una);
        var tags = segments.Select(s => s.Tag).ToList();
        Assert.Equal(["UNB", "UNG", "UNH"], tags[..3]);
        Assert.Equal(["UNT", "UNE", "UNZ"], tags[^3..]);
        // Interchange: syntax UNOA version 4, sender, the arrival state's border authority, preparation time (the fake clock), reference.
        var unb = segments[0];
        Assert.Equal(("UNOA", "4"), (unb[0, 0], unb[0, 1]));
        Assert.Equal(("RETURNOPS-AUT", "ALB"), (unb[1], unb[2]));
        Assert.Equal(("261122", "0800"), (unb[3, 0], unb[3, 1]));
        Assert.Equal("APIS", unb[6]);
        var unz = segments[^1];
        Assert.Equal(("1", unb[4]), (unz[0], unz[1]));
        var ung = segments[1];
        Assert.Equal(("PAXLST", "RETURNOPS-AUT", "ALB", "UN", "D", "02B"), (ung[0], ung[1], ung[2], ung[5], ung[6, 0], ung[6, 1]));
        var une = segments[^2];
        Assert.Equal(("1", ung[4]), (une[0], une[1]));
        // Message: UNT counts from UNH to UNT inclusive and repeats UNH's reference.
        var unh = segments[2];
        Assert.Equal(["PAXLST", "D", "02B", "UN", "IATA"], unh.Elements[1]);
        Assert.Equal(("01", "F"), (unh[3, 0], unh[3, 1]));
        var unt = segments[^3];
        Assert.Equal((segments.Count - 4).ToString(System.Globalization.CultureInfo.InvariantCulture), unt[0]);
        Assert.Equal(unh[0], unt[1]);
        Assert.Equal(51, int.Parse(unt[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_message_follows_the_guidelines_structure_segment_by_segment()
    {
        var (_, segments) = EdifactReader.Read((await Host.GetAsync(Path(), fixture.Organiser)).Body);
        var message = segments.Skip(2).Take(segments.Count - 4).ToList();

        Assert.Equal(["UNH", "BGM", "NAD", "TDT", "LOC", "DTM", "LOC"], message.Take(7).Select(s => s.Tag));
        Assert.Equal("745", message[1][0]);
        Assert.Equal(("MS", "National return authority of Austria".ToUpperInvariant()), (message[2][0], message[2][3]));
        Assert.Equal(("20", "OS1234", "OS"), (message[3][0], message[3][1], message[3][4]));
        Assert.Equal(("125", "VIE"), (message[4][0], message[4][1]));
        // Departure 2026-12-12 08:00 UTC, given in Vienna's local time (CET) as the guidelines ask.
        Assert.Equal(("189", "2612120900", "201"), (message[5][0, 0], message[5][0, 1], message[5][0, 2]));
        Assert.Equal(("87", "TIA"), (message[6][0], message[6][1]));
        Assert.Equal(("CNT", "42", "10"), (message[^2].Tag, message[^2][0, 0], message[^2][0, 1]));

        var travellers = Groups(message.Skip(7).SkipLast(2).ToList());
        Assert.Equal(10, travellers.Count);
        Assert.All(travellers, t => Assert.Equal(("NAD", "FL"), (t[0].Tag, t[0][0])));
        Assert.All(travellers, t => Assert.Contains(t, s => s.Tag == "LOC" && s[0] == "178" && s[1] == "VIE"));
        Assert.All(travellers, t => Assert.Contains(t, s => s.Tag == "LOC" && s[0] == "179" && s[1] == "TIA"));
        // The returnee with the laissez-passer Albania issued: sex, year of birth, nationality, then the document group.
        var documented = Assert.Single(travellers, t => t[0][3] == fixture.WithDocument.ToUpperInvariant());
        Assert.Equal(["NAD", "ATT", "DTM", "LOC", "LOC", "NAT", "DOC", "DTM", "LOC"], documented.Select(s => s.Tag));
        Assert.Equal(("2", "M"), (documented[1][0], documented[1][2]));
        Assert.Equal(("329", "1990", "602"), (documented[2][0, 0], documented[2][0, 1], documented[2][0, 2]));
        Assert.Equal(("2", "ALB"), (documented[5][0], documented[5][1]));
        Assert.Equal(["P", "110", "111"], documented[6].Elements[0]);
        Assert.Equal(PaxlstOperation.DocumentNumber, documented[6][1]);
        Assert.Equal(("36", "270531"), (documented[7][0, 0], documented[7][0, 1]));
        Assert.Equal(("91", "ALB"), (documented[8][0], documented[8][1]));
        var vulnerable = Assert.Single(travellers, t => t[0][3] == fixture.Vulnerable.ToUpperInvariant());
        Assert.Equal(["NAD", "ATT", "DTM", "LOC", "LOC", "NAT"], vulnerable.Select(s => s.Tag));
        Assert.Equal(("F", "1985"), (vulnerable[1][2], vulnerable[2][0, 1]));
        Assert.Single(travellers, t => t[0][3] == fixture.Croatian.ToUpperInvariant());
        // Escorts and the doctor are passengers too (not crew): a reference, where they board and leave, nothing the platform does not hold.
        var staff = travellers.Where(t => t.Count == 3).ToList();
        Assert.Equal(7, staff.Count);
        Assert.All(staff, t => Assert.Equal(["NAD", "LOC", "LOC"], t.Select(s => s.Tag)));
    }

    [Fact]
    public async Task Names_with_apostrophes_plus_signs_colons_and_question_marks_are_released_and_read_back_whole()
    {
        var body = (await Host.GetAsync(Path(), fixture.Organiser)).Body;
        var (_, segments) = EdifactReader.Read(body);
        var names = segments.Where(s => s.Tag == "NAD" && s[0] == "FL").Select(s => s[3]).ToList();

        Assert.Contains(PaxlstOperation.HostileEscort, names);
        // Outside syntax level A, letters with diacritics too, a character becomes a space (transliteration is the sending state's).
        Assert.Contains("D'ARCY- OSI ", names);
        Assert.Contains("ESC?2", names);
        Assert.Contains("ESC:3", names);
        Assert.Contains("NAD+FL+++O?'BRIEN?+1?:??X'", body, StringComparison.Ordinal);
        // Every NAD+FL has exactly the one name component: no separator in a name split it.
        Assert.All(segments.Where(s => s.Tag == "NAD" && s[0] == "FL"), s => Assert.Equal(4, s.Elements.Count));
    }

    [Fact]
    public async Task Nothing_of_the_case_leaves_the_platform_only_what_the_guidelines_ask()
    {
        var body = (await Host.GetAsync(Path(), fixture.Organiser)).Body;
        var (_, segments) = EdifactReader.Read(body);

        foreach (var secret in new[] { PaxlstOperation.CaseReference, "AT-PAX-CASE-2", "HR-PAX-CASE-1", PaxlstOperation.Vulnerability, "TORTURE", "MONITOR-1" })
        {
            Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(new[] { "BGM", "CNT", "DOC", "DTM", "LOC", "NAD", "NAT", "ATT", "TDT", "UNB", "UNE", "UNG", "UNH", "UNT", "UNZ" }.Order(),
            segments.Select(s => s.Tag).Distinct().Order());
        Assert.All(segments.Where(s => s.Tag == "ATT"), s => Assert.Equal("2", s[0]));
    }

    [Fact]
    public async Task Only_the_organisers_coordinator_gets_it_and_only_once_the_operation_is_confirmed()
    {
        Assert.Equal(HttpStatusCode.OK, (await Host.GetAsync(Path(), fixture.Organiser)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Host.GetAsync(Path(), Host.Token("coordinator", "HR"))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Host.GetAsync(Path(), Host.Token("coordinator", "CZ"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Host.GetAsync(Path(), Host.Token("partner", "AL"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Host.GetAsync(Path(), Host.Token("secretariat"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Host.GetAsync(Path(), Host.Token("monitor", subject: "monitor-1"))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Host.GetAsync(Path(), null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Host.GetAsync("/api/v1/operations/op-unknown/manifest/paxlst?leg=0&flight=OS1234", fixture.Organiser)).Status);

        var early = await Host.GetAsync($"/api/v1/operations/{fixture.Announced}/manifest/paxlst?leg=0&flight=OS1234", fixture.Organiser);

        Assert.Equal(HttpStatusCode.Conflict, early.Status);
        Assert.Equal("application/problem+json", early.ContentHeaders!.ContentType!.MediaType);
        Assert.Equal("invalid-transition", early.Json.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task The_second_leg_is_chosen_by_its_index_and_goes_to_its_arrival_states_authority()
    {
        var answer = await Host.GetAsync(Path("leg=1&flight=JU681"), fixture.Organiser);

        Assert.True(answer.Status == HttpStatusCode.OK, "the second leg: " + answer);
        var (_, segments) = EdifactReader.Read(answer.Body);
        Assert.Equal("SRB", segments[0][2]);
        Assert.Equal(("JU681", "JU"), (segments.Single(s => s.Tag == "TDT")[1], segments.Single(s => s.Tag == "TDT")[4]));
        Assert.Equal("TIA", segments.Single(s => s.Tag == "LOC" && s[0] == "125")[1]);
        Assert.Equal("BEG", segments.Single(s => s.Tag == "LOC" && s[0] == "87")[1]);
        // 11:00 UTC is 12:00 in Tirana (CET).
        Assert.Equal("2612121200", segments.Single(s => s.Tag == "DTM" && s[0, 0] == "189")[0, 1]);
    }

    [Theory]
    [InlineData("flight=OS1234")]
    [InlineData("leg=2&flight=OS1234")]
    [InlineData("leg=-1&flight=OS1234")]
    [InlineData("leg=0")]
    [InlineData("leg=0&flight=OS+1234")]
    [InlineData("leg=0&flight=os1234")]
    [InlineData("leg=0&flight=OS12345678")]
    public async Task A_missing_or_unknown_leg_or_a_malformed_flight_is_a_400_problem(string query)
    {
        var answer = await Host.GetAsync(Path(query), fixture.Organiser);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("application/problem+json", answer.ContentHeaders!.ContentType!.MediaType);
    }

    /// <summary>The travellers' segment groups (SG4 with its SG5): each starts at a NAD+FL.</summary>
    private static List<List<ReadSegment>> Groups(List<ReadSegment> segments)
    {
        var groups = new List<List<ReadSegment>>();
        foreach (var segment in segments)
        {
            if (segment.Tag == "NAD")
            {
                groups.Add([]);
            }
            groups[^1].Add(segment);
        }
        return groups;
    }
}
