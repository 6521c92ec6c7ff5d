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
    public const string SymbolicLink = "ML1009";

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

    // ML2020–ML2029: SCIEX readers.
    /// <summary>A vendor regression (fit or weighting) MirtLab does not model; kept as text in the run properties.</summary>
    public const string UnmodelledRegression = "ML2020";

    /// <summary>A results export with peak data but no calculated-concentration column: it is read, its rows carry no value and are held.</summary>
    public const string NoConcentrationColumn = "ML2021";

    /// <summary>A qualifier row whose quantifier cannot be found in the same sample and component group.</summary>
    public const string UnlinkedQualifier = "ML2022";

    // ML2030–ML2039: Agilent ChemStation / OpenLab CDS ChemStation Edition and ACAML readers.
    /// <summary>Which report file of a ChemStation <c>.D</c> folder was read, and which others were only cross-checked.</summary>
    public const string ChemStationReportChosen = "ML2030";

    /// <summary>The dropped item holds the reports of more than one injection (several <c>.D</c> folders, a sequence ACAML).</summary>
    public const string SeveralInjections = "ML2031";

    /// <summary>A fixed-width value crosses a column boundary of its table's <c>----|----|</c> ruler: it cannot be cut safely.</summary>
    public const string MisalignedColumn = "ML2032";

    /// <summary>An ACAML namespace version MirtLab does not read (acaml13, acaml14 and acaml15 are read).</summary>
    public const string UnsupportedAcamlVersion = "ML2033";

    /// <summary>A second report file of the same injection could not be read, so the amounts were not cross-checked.</summary>
    public const string CrossCheckUnavailable = "ML2034";

    /// <summary>Peaks no calibrated compound claims (<c>?</c>, ACAML <c>Unknown</c>) were skipped: they are not analytes.</summary>
    public const string UnidentifiedPeaksSkipped = "ML2035";

    /// <summary>The report was read but identifies no compound (an area-percent report, unnamed peaks, no peaks): nothing in it is reportable.</summary>
    public const string NothingToReport = "ML2036";

    // ML2040–ML2049: Agilent MassHunter and configured delimited readers.
    /// <summary>MassHunter's second header row (the column names under the group labels) is missing or merged into the first.</summary>
    public const string MissingSubHeaderRow = "ML2040";

    /// <summary>Something stands before the first header row (an empty or foreign line): the file was changed after export.</summary>
    public const string UnexpectedLeadingLine = "ML2041";

    /// <summary>A compound has no concentration column (<c>Final Conc.</c> / <c>Calc. Conc.</c>): its rows carry no reportable value.</summary>
    public const string CompoundWithoutConcentration = "ML2042";

    /// <summary>The export has no sample-type column: every injection is read as a patient sample.</summary>
    public const string MissingSampleTypeColumn = "ML2043";

    /// <summary>A quantitation-message row with no sample row after it.</summary>
    public const string OrphanQuantitationMessage = "ML2044";

    /// <summary>A MassHunter block report row names a data file the sequence table does not list.</summary>
    public const string UnknownDataFile = "ML2045";

    /// <summary>A MassHunter block report row names another compound than its <c>Target Compound</c> block.</summary>
    public const string MismatchedBlockCompound = "ML2046";

    /// <summary>A quoted field opens and the file ends before it closes.</summary>
    public const string UnterminatedQuote = "ML2047";

    // ML3xxx: values.
    public const string UnparsableNumber = "ML3001";
    public const string UnparsableDate = "ML3002";
    public const string AmbiguousLocalTime = "ML3003";
    public const string NegativeConcentration = "ML3004";
    public const string UnknownSampleType = "ML3005";
    public const string NonFiniteValue = "ML3006";

    // ML3020–ML3029: SCIEX readers.
    /// <summary>The unit in a units column (or a delimited mapping's <c>fixedUnit</c>) disagrees with the unit in the column header.</summary>
    public const string ConflictingUnit = "ML3020";

    /// <summary>A component type (SCIEX OS <c>Component Type</c>) that is not quantifier, qualifier or internal standard.</summary>
    public const string UnknownComponentType = "ML3021";

    /// <summary>A yes/no cell (<c>Used</c>, <c>Reportable</c>, <c>IS</c>, <c>Modified</c>) that is neither.</summary>
    public const string UnparsableFlag = "ML3022";

    // ML3023 was "a row without a sample or compound name"; that is MissingSampleOrCompound (ML3040) for every reader.

    // ML3030–ML3039: Agilent ChemStation / OpenLab CDS ChemStation Edition and ACAML readers.
    /// <summary>The report has no amount (area-percent report, or amounts in %): its rows carry no concentration.</summary>
    public const string NoAmountInReport = "ML3030";

    /// <summary>The report states no sample type: rows are read as patient samples and held by a vendor flag.</summary>
    public const string SampleTypeNotStated = "ML3031";

    /// <summary>An amount of exactly 0 for a detected peak (ChemStation sets negative results to zero): not reportable.</summary>
    public const string ZeroAmountForDetectedPeak = "ML3032";

    /// <summary>Two report files of the same injection disagree on a compound's amount or presence.</summary>
    public const string ReportFilesDisagree = "ML3033";

    /// <summary>Two report files of the same injection name different samples.</summary>
    public const string SampleIdentityConflict = "ML3034";

    /// <summary>A warning or error ChemStation wrote into the report itself (<c>Msg n</c>), kept as a vendor flag.</summary>
    public const string VendorReportMessage = "ML3035";

    /// <summary>An ACAML compound <c>Type</c> MirtLab does not know, so it cannot tell whether the compound was found.</summary>
    public const string UnknownCompoundType = "ML3036";

    /// <summary>How the acquisition time was found: converted from UTC (ACAML), or taken from a misplaced field.</summary>
    public const string AcquisitionTimeNote = "ML3037";

    /// <summary>Amounts labelled ng/µL, ChemStation's default amount unit, which no serum level is reported in: the label is suspect.</summary>
    public const string SuspectAmountUnit = "ML3038";

    // ML3040–ML3049: Agilent MassHunter and configured delimited readers.
    /// <summary>A data row without a sample name or compound name: it cannot be attributed to anyone.</summary>
    public const string MissingSampleOrCompound = "ML3040";

    /// <summary>
    /// A MassHunter export without <c>Final Conc.</c> whose <c>Calc. Conc.</c> belongs to a diluted sample (<c>Dil.</c> ≠ 1):
    /// the number lacks the dilution factor (Final Conc. = Calc. Conc. × Dil.), so it is not published.
    /// </summary>
    public const string UndilutedConcentration = "ML3041";

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

    /// <summary>An analyte's run is rejected for carry-over into the blank after the highest calibrator (ICH M10 §3.2.6).</summary>
    public const string CarryOverRejected = "ML5005";

    /// <summary>A sample the instrument typed <c>Unknown</c> is taken for another type by its name (a blank, a wash): its results are not published.</summary>
    public const string SampleTypeFromName = "ML5006";

    /// <summary>A sample's name matches a sample-type pattern but carries a patient id, so it stays a patient sample.</summary>
    public const string PatientSampleKeptDespiteName = "ML5007";
}
