using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using WineFunctions.Hosting;
using WineFunctions.Lake;
using WineFunctions.Lambda;
using WineFunctions.Prediction;
using WineFunctions.Ratings.Http;
using WineFunctions.Sink;
using WineFunctions.Tests.Infrastructure;
using WineFunctions.Training;
using WineFunctions.Zones;

namespace WineFunctions.Tests.Architecture;

/// <summary>Each service's one composition root: what a function's Program.cs runs, from settings as the host gives them.</summary>
[Trait(Categories.Name, Categories.Unit)]
public sealed class CompositionTests : IDisposable
{
    private readonly DirectoryInfo _lake = Directory.CreateTempSubdirectory("wine-compose-");

    private Dictionary<string, string?> Folder(string zone = "edge") => new()
    {
        ["Lake:Kind"] = "Folder",
        ["Lake:Folder"] = _lake.FullName,
        ["Lake:Zone"] = "core",
        ["Zone:Name"] = zone,
        ["Zone:Cloud"] = "azure",
    };

    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    private static ServiceProvider Provider(Action<IServiceCollection> wire)
    {
        var services = new ServiceCollection().AddLogging();
        wire(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    [Fact]
    public async Task The_sink_function_writes_batches_into_the_lake_of_its_zone()
    {
        await using var provider = Provider(s => s.AddSink(Configuration(Folder())));
        Assert.IsType<ZonedObjectStore>(provider.GetRequiredService<IObjectStore>());
        var sample = Samples.SampleContractTests.ValidJson();
        await provider.GetRequiredService<FunctionBatchSink>().WriteAsync([new SinkRecord("wine.samples", 0, 0, System.Text.Encoding.UTF8.GetBytes(sample))], CancellationToken.None);
        var stored = Directory.EnumerateFiles(Path.Combine(_lake.FullName, "raw"), "*.parquet", SearchOption.AllDirectories).ToList();
        Assert.Single(stored);
        // The sink (zone edge) wrote into a lake of zone core: the crossing is audited.
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(_lake.FullName, "audit"), "*", SearchOption.AllDirectories));
    }

    [Theory]
    [InlineData("Sink:Format", "Csv", "Sink:Format is 'Csv'")]
    [InlineData("Lake:Kind", "S3", "Lake:S3:Bucket is required")]
    [InlineData("Lake:Kind", "Tape", "Lake:Kind is 'Tape'")]
    [InlineData("Zone:Name", "Edge Zone", "Zone:Name 'Edge Zone'")]
    [InlineData("Lake:Kind", "Blob", "Lake:BlobConnectionString or Lake:BlobContainerUrl is required")]
    public void A_bad_sink_setting_stops_the_worker_at_start_naming_it(string setting, string value, string message)
    {
        var values = Folder();
        values[setting] = value;
        var error = Assert.Throws<SettingsException>(() => new ServiceCollection().AddSink(Configuration(values)));
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("Lake:BlobContainerUrl", "lakeaccount.blob.core.windows.net/lake", "Lake:BlobContainerUrl must be an absolute https URL")]
    [InlineData("Lake:BlobContainerUrl", "http://lakeaccount.blob.core.windows.net/lake", "Lake:BlobContainerUrl must be an absolute https URL")]
    [InlineData("Lake:BlobConnectionString", "AccountName=lake;AccountKey", "Lake:BlobConnectionString is not a storage connection string")]
    public void A_malformed_blob_lake_stops_the_function_at_start_naming_the_setting(string setting, string value, string message)
    {
        var values = Folder();
        values["Lake:Kind"] = "Blob";
        values[setting] = value;
        var error = Assert.Throws<SettingsException>(() => new ServiceCollection().AddSink(Configuration(values)));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_malformed_s3_endpoint_stops_the_function_at_start_naming_it()
    {
        var values = Folder();
        values["Lake:Kind"] = "S3";
        values["Lake:S3:Bucket"] = "lake";
        values["Lake:S3:ServiceUrl"] = "127.0.0.1:4568";
        var error = Assert.Throws<SettingsException>(() => new ServiceCollection().AddSink(Configuration(values)));
        Assert.Contains("Lake:S3:ServiceUrl must be an absolute http(s) URL", error.Message);
    }

    [Theory]
    [InlineData("Cluster")]
    [InlineData("7")]
    [InlineData("+1")]
    [InlineData("InProcess,Worker")]
    public void A_bad_training_setting_stops_the_train_trigger_at_start_naming_it(string target)
    {
        var values = Folder();
        values["Training:Target"] = target;
        var error = Assert.Throws<SettingsException>(() => new ServiceCollection().AddTraining(Configuration(values), "train-trigger"));
        Assert.Contains($"Training:Target is '{target}'", error.Message);
    }

    [Fact]
    public async Task The_train_trigger_resolves_its_training_service_and_dispatch_from_settings()
    {
        var values = Folder();
        values["Training:Target"] = "Worker";
        await using var provider = Provider(s => s.AddTraining(Configuration(values), "train-trigger"));
        Assert.Equal(TrainingTarget.Worker, provider.GetRequiredService<TrainingDispatch>().Target);
        Assert.NotNull(provider.GetRequiredService<TrainingUploadWatcher>());
    }

    [Fact]
    public void A_ratings_api_without_a_token_issuer_stops_at_start_naming_it()
    {
        var error = Assert.Throws<SettingsException>(() => new ServiceCollection().AddRatingsApi(Configuration(Folder()), "ratings-api"));
        Assert.Contains("Ratings:Jwt:Issuer is required", error.Message);
    }

    [Theory]
    [InlineData("Ratings:Jwt:Authority", "login.example.org", null, "Ratings:Jwt:Authority must be an absolute https URL")]
    [InlineData("Ratings:Jwt:Authority", "http://login.example.org", null, "Ratings:Jwt:Authority must use https outside Development")]
    [InlineData("Ratings:Database:Provider", "2", null, "Ratings:Database:Provider is '2'")]
    [InlineData("Ratings:Database:Provider", "1", null, "Ratings:Database:Provider is '1'")]
    [InlineData("Ratings:Database:Provider", "Postgres", "Host=db;Pasword=x", "Ratings:Database:ConnectionString is not a Postgres connection string")]
    public void A_bad_ratings_setting_stops_the_api_at_start_naming_it(string setting, string value, string? connectionString, string message)
    {
        var values = Folder();
        values["Ratings:Jwt:Issuer"] = "https://login.example.org";
        values["Ratings:Jwt:Authority"] = "https://login.example.org";
        values[setting] = value;
        if (connectionString is not null)
        {
            values["Ratings:Database:ConnectionString"] = connectionString;
        }
        var error = Assert.Throws<SettingsException>(() => new ServiceCollection().AddRatingsApi(Configuration(values), "ratings-api"));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_bad_predict_setting_fails_the_lambdas_init_as_a_configuration_error_naming_it()
    {
        var values = Folder();
        values["Predict:ChampionCheckSeconds"] = "soon";
        var error = Assert.Throws<LambdaConfigurationException>(() => PredictFunction.FromConfiguration(Configuration(values), TimeProvider.System, NullLoggerFactory.Instance));
        Assert.Contains("Predict:ChampionCheckSeconds is 'soon'", error.Message);
    }

    public void Dispose() => _lake.Delete(recursive: true);
}
