using Parquet;
using Parquet.Schema;

namespace WineFunctions.Prediction;

/// <summary>Predictions objects as Parquet (docs/lake-layout.md): one row per sample of the raw object.</summary>
public static class PredictionParquet
{
    private static readonly DataField SampleId = new DataField<string>("sampleId", false);
    private static readonly DataField BatchId = new DataField<string>("batchId", false);
    private static readonly DataField PredictedClass = new DataField<string>("predictedClass", true);
    private static readonly DataField ProbabilityGood = new DataField<double?>("probabilityGood");
    private static readonly DataField ProbabilityBetter = new DataField<double?>("probabilityBetter");
    private static readonly DataField ProbabilityBest = new DataField<double?>("probabilityBest");
    private static readonly DataField ModelVersion = new DataField<int>("modelVersion");
    private static readonly DataField Rejection = new DataField<string>("rejection", true);

    private static readonly ParquetSchema Schema = new(SampleId, BatchId, PredictedClass, ProbabilityGood, ProbabilityBetter, ProbabilityBest, ModelVersion, Rejection);

    public static async Task<byte[]> WriteAsync(IReadOnlyList<SamplePrediction> predictions, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(Schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }, cancellationToken: cancellationToken))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(SampleId, predictions.Select(p => p.SampleId).ToArray());
            await group.WriteAsync(BatchId, predictions.Select(p => p.BatchId).ToArray());
            await group.WriteAsync(PredictedClass, predictions.Select(p => p.PredictedClass!).ToArray());
            await group.WriteAsync<double>(ProbabilityGood, predictions.Select(p => p.ProbabilityGood).ToArray(), cancellationToken: cancellationToken);
            await group.WriteAsync<double>(ProbabilityBetter, predictions.Select(p => p.ProbabilityBetter).ToArray(), cancellationToken: cancellationToken);
            await group.WriteAsync<double>(ProbabilityBest, predictions.Select(p => p.ProbabilityBest).ToArray(), cancellationToken: cancellationToken);
            await group.WriteAsync<int>(ModelVersion, predictions.Select(p => p.ModelVersion).ToArray(), cancellationToken: cancellationToken);
            await group.WriteAsync(Rejection, predictions.Select(p => p.Rejection!).ToArray());
        }
        return stream.ToArray();
    }

    public static async Task<IReadOnlyList<SamplePrediction>> ReadAsync(byte[] content, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(content);
        await using var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken);
        var predictions = new List<SamplePrediction>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var rows = (int)group.RowCount;
            async Task<string[]> Strings(DataField field)
            {
                var values = new string[rows];
                await group.ReadAsync(field, values, cancellationToken: cancellationToken);
                return values;
            }
            async Task<double?[]> Doubles(DataField field)
            {
                var values = new double?[rows];
                await group.ReadAsync<double>(field, values, cancellationToken: cancellationToken);
                return values;
            }
            var (ids, batches, classes, rejections) = (await Strings(SampleId), await Strings(BatchId), await Strings(PredictedClass), await Strings(Rejection));
            var (good, better, best) = (await Doubles(ProbabilityGood), await Doubles(ProbabilityBetter), await Doubles(ProbabilityBest));
            var versions = new int[rows];
            await group.ReadAsync<int>(ModelVersion, versions, cancellationToken: cancellationToken);
            for (var i = 0; i < rows; i++)
            {
                predictions.Add(new(ids[i], batches[i], classes[i], good[i], better[i], best[i], versions[i], rejections[i]));
            }
        }
        return predictions;
    }
}
