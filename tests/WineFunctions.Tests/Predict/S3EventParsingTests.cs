using System.Text.Json;
using WineFunctions.Lambda;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Predict;

[Trait(Categories.Name, Categories.Unit)]
public sealed class S3EventParsingTests
{
    private static S3EventNotification Parse(string json) =>
        JsonSerializer.Deserialize(json, S3EventJsonContext.Default.S3EventNotification)!;

    [Fact]
    public void The_documented_example_parses_with_every_field()
    {
        var record = Parse(S3Events.SeveralRecords).Records![0];

        Assert.Equal("2.1", record.EventVersion);
        Assert.Equal("aws:s3", record.EventSource);
        Assert.Equal("us-west-2", record.AwsRegion);
        Assert.Equal(DateTimeOffset.UnixEpoch, record.EventTime);
        Assert.Equal("ObjectCreated:Put", record.EventName);
        Assert.True(record.IsObjectCreated);
        Assert.Equal("AIDAJDPLRKLG7UEXAMPLE", record.UserIdentity!.PrincipalId);
        Assert.Equal("172.16.0.1", record.RequestParameters!.SourceIPAddress);
        Assert.Equal("C3D13FE58DE4C810", record.ResponseElements!.RequestId);
        Assert.Equal("FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD", record.ResponseElements.HostId);
        var s3 = record.S3!;
        Assert.Equal("1.0", s3.SchemaVersion);
        Assert.Equal("testConfigRule", s3.ConfigurationId);
        Assert.Equal(new S3Bucket("amzn-s3-demo-bucket", new S3Identity("A3NL1KOZZKExample"), "arn:aws:s3:::amzn-s3-demo-bucket"), s3.Bucket);
        Assert.Equal(new S3Object("HappyFace.jpg", 1024, "d41d8cd98f00b204e9800998ecf8427e", "096fKKXTRTtl3on89fVO.nfljtsv6qko", "0055AED6DCD90281E5"), s3.Object);
        Assert.Null(record.GlacierEventData);
    }

    [Fact]
    public void Several_records_keep_their_order_and_keys_are_url_decoded_with_plus_for_space()
    {
        var records = Parse(S3Events.SeveralRecords).Records!;

        Assert.Equal(3, records.Count);
        Assert.Equal(["HappyFace.jpg", "raw/samples/date=2026-11-26/hour=18/wine.samples+3+000000000412.parquet", "raw/samples/cellar notes/cask 12 (old).parquet"],
            records.Select(r => r.S3!.Object!.DecodedKey));
        Assert.Equal("raw/samples/date%3D2026-11-26/hour%3D18/wine.samples%2B3%2B000000000412.parquet", records[1].S3!.Object!.Key);
        Assert.Equal(48213, records[1].S3!.Object!.Size);
        Assert.Null(records[1].S3!.Object!.VersionId);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 18, 4, 5, 123, TimeSpan.Zero), records[1].EventTime);
        Assert.Equal("ObjectCreated:CompleteMultipartUpload", records[2].EventName);
        Assert.True(records[2].IsObjectCreated);
        Assert.Equal("00674615F6A1B2C3D4", records[2].S3!.Object!.Sequencer);
    }

    [Fact]
    public void The_console_test_event_decodes_an_encoded_slash()
    {
        var record = Assert.Single(Parse(S3Events.ConsoleS3Put).Records!);

        Assert.Equal("2.0", record.EventVersion);
        Assert.Equal("test/key", record.S3!.Object!.DecodedKey);
        Assert.Equal("0A1B2C3D4E5F678901", record.S3.Object.Sequencer);
    }

    [Fact]
    public void A_restore_carries_its_glacier_event_data_and_is_no_creation()
    {
        var record = Assert.Single(Parse(S3Events.RestoreCompleted).Records!);

        Assert.False(record.IsObjectCreated);
        Assert.Equal(new S3RestoreEventData(DateTimeOffset.UnixEpoch, "Standard"), record.GlacierEventData!.RestoreEventData);
    }

    [Fact]
    public void The_test_event_s3_sends_at_setup_has_no_records()
    {
        Assert.Null(Parse(S3Events.TestEvent).Records);
    }
}
