using System.Globalization;

namespace ReturnOps.Gateway.TravelDocuments;

/// <summary>What the two lines of a TD3-size machine-readable zone say, in the order ICAO Doc 9303 Part 4 places them.</summary>
/// <param name="DocumentCode">Two characters: 'P' and one at the issuing state's discretion, or '&lt;'.</param>
/// <param name="IssuingState">ICAO three-letter code (Doc 9303 Part 3), e.g. AUT, or D for Germany.</param>
/// <param name="OptionalData">Up to 14 characters at the issuer's discretion; empty when unused.</param>
public sealed record MrzFields(
    string DocumentCode,
    string IssuingState,
    string PrimaryIdentifier,
    string SecondaryIdentifier,
    string DocumentNumber,
    string Nationality,
    DateOnly? DateOfBirth,
    int BirthYear,
    string Sex,
    DateOnly DateOfExpiry,
    string OptionalData = "");

/// <summary>
/// The machine-readable zone of ICAO Doc 9303 (eighth edition, 2021): Part 3's character set, check digits and dates, Part 4's
/// TD3 layout (two lines of 44 characters). Input is refused rather than silently changed where Part 3 leaves the choice to the
/// issuing state (transliteration of letters outside A–Z); over-long names are cut at the end of the field, which Part 3 allows.
/// </summary>
public static class MachineReadableZone
{
    public const int LineLength = 44;
    public const char Filler = '<';
    private static readonly int[] s_weights = [7, 3, 1];

    /// <summary>
    /// Part 3: each character's value (digits as themselves, A–Z as 10–35, the filler as 0) times the repeating weights
    /// 7, 3, 1, summed, modulo 10.
    /// </summary>
    public static char CheckDigit(string field)
    {
        var sum = 0;
        for (var i = 0; i < field.Length; i++)
        {
            sum += Value(field[i]) * s_weights[i % 3];
        }
        return (char)('0' + (sum % 10));
    }

    /// <summary>The two lines of a TD3 zone.</summary>
    public static (string Line1, string Line2) Td3(MrzFields f)
    {
        var line1 = Field(f.DocumentCode, 2) + Field(f.IssuingState, 3) + NameField(f.PrimaryIdentifier, f.SecondaryIdentifier, 39);
        var number = Field(f.DocumentNumber, 9);
        var birth = Date(f.DateOfBirth, f.BirthYear);
        var expiry = Date(f.DateOfExpiry, f.DateOfExpiry.Year);
        var optional = Field(f.OptionalData, 14);
        // Part 4: an optional data field of fillers alone may have a filler as its check digit.
        var optionalCheck = optional.All(c => c == Filler) ? Filler : CheckDigit(optional);
        var sex = f.Sex is "F" or "M" ? f.Sex : Filler.ToString();
        var upper = number + CheckDigit(number) + Field(f.Nationality, 3) + birth + CheckDigit(birth) + sex + expiry + CheckDigit(expiry)
            + optional + optionalCheck;
        // The composite check digit covers the number, birth date, expiry and optional data with their check digits.
        var composite = upper[..10] + upper[13..20] + upper[21..43];
        return (line1, upper + CheckDigit(composite));
    }

    /// <summary>
    /// Primary identifier, two fillers, secondary identifier; within each, spaces and hyphens become one filler and apostrophes
    /// are left out (Part 3). Cut at the field's end when too long.
    /// </summary>
    private static string NameField(string primary, string secondary, int length)
    {
        var name = Components(primary);
        if (secondary.Trim().Length > 0)
        {
            name += "<<" + Components(secondary);
        }
        return Field(name, length);
    }

    private static string Components(string name) =>
        string.Join(Filler, name.Replace("'", "", StringComparison.Ordinal).ToUpperInvariant()
            .Split([' ', '-', Filler], StringSplitOptions.RemoveEmptyEntries));

    private static string Field(string value, int length)
    {
        var upper = value.ToUpperInvariant().Replace(' ', Filler);
        return upper.Length >= length ? upper[..length] : upper.PadRight(length, Filler);
    }

    /// <summary>YYMMDD; a birth date known only by its year has fillers for month and day (Part 3 on unknown parts of a date).</summary>
    private static string Date(DateOnly? date, int year)
    {
        var yy = (year % 100).ToString("00", CultureInfo.InvariantCulture);
        return date is { } d ? d.ToString("yyMMdd", CultureInfo.InvariantCulture) : yy + new string(Filler, 4);
    }

    private static int Value(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'Z' => c - 'A' + 10,
        Filler => 0,
        _ => throw new ArgumentException($"'{c}' is not in the machine-readable zone's character set.", nameof(c)),
    };
}
