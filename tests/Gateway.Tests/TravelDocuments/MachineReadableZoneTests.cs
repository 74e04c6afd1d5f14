using ReturnOps.Gateway.TravelDocuments;

namespace ReturnOps.Gateway.Tests.TravelDocuments;

/// <summary>The zone's check digits and TD3 layout against the worked examples and specimens ICAO Doc 9303 publishes.</summary>
public sealed class MachineReadableZoneTests
{
    [Fact]
    public void Check_digit_of_Part_3s_worked_example_is_3() => Assert.Equal('3', MachineReadableZone.CheckDigit("520727"));

    /// <summary>Part 4's specimen passport of Utopia, both lines character for character.</summary>
    [Fact]
    public void Td3_zone_of_Part_4s_specimen_is_written_exactly()
    {
        var zone = MachineReadableZone.Td3(new MrzFields("P<", "UTO", "ERIKSSON", "ANNA MARIA", "L898902C3", "UTO",
            new DateOnly(1974, 8, 12), 1974, "F", new DateOnly(2012, 4, 15), "ZE184226B"));

        Assert.Equal("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", zone.Line1);
        Assert.Equal("L898902C36UTO7408122F1204159ZE184226B<<<<<10", zone.Line2);
        Assert.All([zone.Line1, zone.Line2], line => Assert.Equal(MachineReadableZone.LineLength, line.Length));
    }

    /// <summary>The check digits printed in Part 5's TD1 specimen and Part 7's MRV-A specimen, field by field.</summary>
    [Theory]
    [InlineData("D23145890", '7')]
    [InlineData("740812", '2')]
    [InlineData("120415", '9')]
    [InlineData("L8988901C", '4')]
    [InlineData("400907", '8')]
    [InlineData("961210", '9')]
    // The TD1 composite: upper line 6–30, middle line 1–7, 9–15 and 19–29.
    [InlineData("D231458907<<<<<<<<<<<<<<<74081221204159<<<<<<<<<<<", '6')]
    public void Check_digits_of_the_specimens_fields_are_the_published_ones(string field, char expected) =>
        Assert.Equal(expected, MachineReadableZone.CheckDigit(field));

    [Fact]
    public void A_birth_date_known_by_its_year_only_has_fillers_for_month_and_day_and_counts_them_as_zero()
    {
        var zone = MachineReadableZone.Td3(new MrzFields("P<", "AUT", "DOE", "", "AT1234567", "ALB", null, 1990, "M", new DateOnly(2027, 1, 31)));

        Assert.Equal("P<AUTDOE".PadRight(MachineReadableZone.LineLength, '<'), zone.Line1);
        Assert.Equal("90<<<<", zone.Line2[13..19]);
        Assert.Equal(MachineReadableZone.CheckDigit("900000"), zone.Line2[19]);
        // Optional data unused: fillers, and a filler for its check digit (Part 4).
        Assert.Equal("<<<<<<<<<<<<<<<", zone.Line2[28..43]);
    }

    [Fact]
    public void Spaces_and_hyphens_separate_name_components_apostrophes_go_and_long_names_are_cut()
    {
        var zone = MachineReadableZone.Td3(new MrzFields("P<", "D", "O'Neil-Smith", "Mary Ann", "X1", "GEO", null, 1990, "X",
            new DateOnly(2027, 1, 31)));
        Assert.Equal("P<D<<ONEIL<SMITH<<MARY<ANN<<<<<<<<<<<<<<<<<<", zone.Line1);
        Assert.Equal('<', zone.Line2[20]);

        var longName = MachineReadableZone.Td3(new MrzFields("P<", "AUT", new string('A', 30), new string('B', 30), "X1", "ALB", null, 1990, "F",
            new DateOnly(2027, 1, 31)));
        Assert.Equal("P<AUT" + new string('A', 30) + "<<" + new string('B', 7), longName.Line1);
    }
}
