using WineFunctions.Samples;

namespace WineFunctions.Simulation;

/// <summary>
/// The measurements of one colour and quality class as a multivariate normal: its share of that
/// colour's samples, the mean of each of the 11 measurements and their covariance
/// (lower triangle, row by row: 66 figures).
/// </summary>
public sealed record ClassModel(WineColour Colour, QualityClass Class, double Share, double[] Mean, double[] CovarianceLowerTriangle)
{
    public double[,] Covariance()
    {
        var n = Mean.Length;
        var matrix = new double[n, n];
        var k = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++, k++)
            {
                matrix[i, j] = matrix[j, i] = CovarianceLowerTriangle[k];
            }
        }
        return matrix;
    }
}

/// <summary>The generative model the simulator draws from: the share of red wine, then a model per colour and class.</summary>
public sealed record SampleModel(double RedShare, IReadOnlyList<ClassModel> Classes)
{
    public ClassModel For(WineColour colour, QualityClass quality) =>
        Classes.Single(c => c.Colour == colour && c.Class == quality);
}
