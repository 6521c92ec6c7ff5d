namespace MirtLab.Core.Diagnostics;

/// <summary>
/// Every diagnostic code MirtLab emits, in stable ranges per area so operators can filter:
/// ML1xxx input and format, ML2xxx structure, ML3xxx values, ML4xxx catalog and units, ML5xxx run and rules.
/// A code, once released, keeps its meaning; new findings get new codes.
/// </summary>
public static class DiagnosticCodes
{
    // ML1xxx: the input as a whole.
    public const string UnknownFormat = "ML1001";
    public const string EmptyInput = "ML1002";
    public const string BinaryInput = "ML1003";
    public const string UndecodableText = "ML1004";
    public const string AmbiguousFormat = "ML1005";
    public const string MissingCompanionFile = "ML1006";
    public const string InputTooLarge = "ML1007";
    public const string ReaderFailure = "ML1008";

    // ML2xxx: structure (headers, blocks, rows).
    public const string MissingHeader = "ML2001";
    public const string MissingColumn = "ML2002";
    public const string WrongFieldCount = "ML2003";
    public const string TruncatedInput = "ML2004";
    public const string DuplicateRow = "ML2005";
    public const string MalformedBlock = "ML2006";
    public const string NoResults = "ML2007";
    public const string DuplicateColumn = "ML2008";
    public const string MalformedXml = "ML2009";
    public const string LineTooLong = "ML2010";

    // ML3xxx: values.
    public const string UnparsableNumber = "ML3001";
    public const string UnparsableDate = "ML3002";
    public const string AmbiguousLocalTime = "ML3003";
    public const string NegativeConcentration = "ML3004";
    public const string UnknownSampleType = "ML3005";
    public const string NonFiniteValue = "ML3006";

    // ML4xxx: catalog and units.
    public const string UnknownUnit = "ML4001";
    public const string UnconvertibleUnit = "ML4002";
    public const string MissingUnit = "ML4003";
    public const string UnmappedAnalyte = "ML4004";
    public const string MissingMolarMass = "ML4005";

    // ML5xxx: run evaluation and rules.
    public const string NoCalibrators = "ML5001";
    public const string CalibrationRejected = "ML5002";
    public const string QcRejected = "ML5003";
    public const string InvalidConfiguration = "ML5004";
}
