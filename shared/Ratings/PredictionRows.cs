using Parquet;
using Parquet.Schema;
using WineFunctions.Samples;

namespace WineFunctions.Ratings;

/// <summary>One row of a predictions object (the lake contract: sampleId, batchId, predictedClass, modelVersion, …).</summary>
public sealed record PredictionRow(string SampleId, string BatchId, QualityClass? PredictedClass, int ModelVersion);

/// <summary>
/// Reads the columns the ratings API needs from a predictions object written by the predict
/// function (<c>LakeLayout.PredictionsFor</c>); columns are found by name, nullable or not.
/// </summary>
public static class PredictionRows
{
    public static async Task<IReadOnlyList<PredictionRow>> ReadAsync(byte[] content, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(content);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken);
        var fields = reader.Schema.GetDataFields().ToDictionary(f => f.Name, StringComparer.Ordinal);
        DataField Field(string name) => fields.TryGetValue(name, out var field)
            ? field
            : throw new InvalidDataException($"predictions object has no '{name}' column");
        var rows = new List<PredictionRow>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var count = (int)group.RowCount;
            var sampleIds = new string[count];
            var batchIds = new string[count];
            var classes = new string[count];
            await group.ReadAsync(Field("sampleId"), sampleIds, cancellationToken: cancellationToken);
            await group.ReadAsync(Field("batchId"), batchIds, cancellationToken: cancellationToken);
            await group.ReadAsync(Field("predictedClass"), classes, cancellationToken: cancellationToken);
            var versions = new int[count];
            var version = Field("modelVersion");
            if (version.IsNullable)
            {
                var nullable = new int?[count];
                await group.ReadAsync<int>(version, nullable, cancellationToken: cancellationToken);
                versions = nullable.Select(v => v ?? 0).ToArray();
            }
            else
            {
                await group.ReadAsync<int>(version, versions, cancellationToken: cancellationToken);
            }
            for (var row = 0; row < count; row++)
            {
                rows.Add(new PredictionRow(sampleIds[row], batchIds[row], QualityClasses.FromName(classes[row]), versions[row]));
            }
        }
        return rows;
    }
}
