namespace ReturnOps.Grains.Agreements;

/// <summary>On what a destination cooperates on return (rule 20): the clocks are data either way.</summary>
[GenerateSerializer]
[Alias("ReturnOps.PartnerBasis")]
public enum PartnerBasis
{
    /// <summary>An EU readmission agreement.</summary>
    Agreement,

    /// <summary>A practical arrangement (e.g. the EU–China dialogue): longer clocks, silence never means acceptance.</summary>
    Arrangement,
}
