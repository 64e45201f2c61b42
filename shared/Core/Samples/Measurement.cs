namespace WineFunctions.Samples;

/// <summary>
/// One of the 11 chemical measurements: its contract field, its UCI column, its unit and the
/// physically possible range. The bounds are what a real wine can hold, well outside the UCI
/// ranges, so that only broken sensors and typing errors are refused.
/// </summary>
public sealed record Measurement(string Field, string UciColumn, string Unit, double Min, double Max)
{
    public static readonly Measurement FixedAcidity = new("fixedAcidity", "fixed acidity", "g(tartaric acid)/dm³", 0, 30);
    public static readonly Measurement VolatileAcidity = new("volatileAcidity", "volatile acidity", "g(acetic acid)/dm³", 0, 5);
    public static readonly Measurement CitricAcid = new("citricAcid", "citric acid", "g/dm³", 0, 5);
    public static readonly Measurement ResidualSugar = new("residualSugar", "residual sugar", "g/dm³", 0, 500);
    public static readonly Measurement Chlorides = new("chlorides", "chlorides", "g(sodium chloride)/dm³", 0, 5);
    public static readonly Measurement FreeSulfurDioxide = new("freeSulfurDioxide", "free sulfur dioxide", "mg/dm³", 0, 1000);
    public static readonly Measurement TotalSulfurDioxide = new("totalSulfurDioxide", "total sulfur dioxide", "mg/dm³", 0, 1000);
    public static readonly Measurement Density = new("density", "density", "g/cm³", 0.95, 1.2);
    public static readonly Measurement PH = new("pH", "pH", "pH", 2, 5);
    public static readonly Measurement Sulphates = new("sulphates", "sulphates", "g(potassium sulphate)/dm³", 0, 5);
    public static readonly Measurement Alcohol = new("alcohol", "alcohol", "% vol", 0, 25);

    /// <summary>All 11, in the UCI column order that feature vectors use.</summary>
    public static readonly IReadOnlyList<Measurement> All =
    [
        FixedAcidity, VolatileAcidity, CitricAcid, ResidualSugar, Chlorides, FreeSulfurDioxide,
        TotalSulfurDioxide, Density, PH, Sulphates, Alcohol,
    ];

    public bool Allows(double value) => value >= Min && value <= Max;

    public double Clamp(double value) => Math.Clamp(value, Min, Max);
}
