using System.Net;
using System.Text.Json.Serialization;

namespace WineFunctions.Lambda;

/// <summary>
/// An Amazon S3 event notification as delivered to Lambda (event structure versions 2.1 to 2.3 and the
/// unified later ones): one or more records. The test event S3 sends when notifications are set up has
/// no records.
/// </summary>
public sealed record S3EventNotification([property: JsonPropertyName("Records")] IReadOnlyList<S3EventRecord>? Records)
{
    /// <summary>
    /// The event S3 would send for objects just written, for stores that send none (the local stack's
    /// folder, s3rver): keys URL-encoded as S3 encodes them, one sequencer per record.
    /// </summary>
    public static S3EventNotification ObjectsCreated(string bucket, IEnumerable<(string Key, long Size)> objects, DateTimeOffset at) =>
        new([.. objects.Select((o, i) => new S3EventRecord("2.1", S3EventRecord.S3Source, "local", at, "ObjectCreated:Put",
            new S3Identity("wine-stack"), new S3RequestParameters("127.0.0.1"), null,
            new S3Entity("1.0", "wine-stack", new S3Bucket(bucket, null, $"arn:aws:s3:::{bucket}"),
                new S3Object(WebUtility.UrlEncode(o.Key).Replace("%2F", "/", StringComparison.Ordinal), o.Size, null, null,
                    $"{at.ToUnixTimeMilliseconds():X12}{i:X4}")),
            null, null, null))]);
}

public sealed record S3EventRecord(
    [property: JsonPropertyName("eventVersion")] string? EventVersion,
    [property: JsonPropertyName("eventSource")] string? EventSource,
    [property: JsonPropertyName("awsRegion")] string? AwsRegion,
    [property: JsonPropertyName("eventTime")] DateTimeOffset? EventTime,
    [property: JsonPropertyName("eventName")] string? EventName,
    [property: JsonPropertyName("userIdentity")] S3Identity? UserIdentity,
    [property: JsonPropertyName("requestParameters")] S3RequestParameters? RequestParameters,
    [property: JsonPropertyName("responseElements")] S3ResponseElements? ResponseElements,
    [property: JsonPropertyName("s3")] S3Entity? S3,
    [property: JsonPropertyName("glacierEventData")] S3GlacierEventData? GlacierEventData,
    [property: JsonPropertyName("lifecycleEventData")] S3LifecycleEventData? LifecycleEventData,
    [property: JsonPropertyName("intelligentTieringEventData")] S3IntelligentTieringEventData? IntelligentTieringEventData)
{
    public const string S3Source = "aws:s3";

    /// <summary>Any object creation: Put, Post, Copy, CompleteMultipartUpload (event names come without the <c>s3:</c> prefix).</summary>
    public bool IsObjectCreated => EventSource == S3Source && EventName?.StartsWith("ObjectCreated:", StringComparison.Ordinal) == true;
}

public sealed record S3Identity([property: JsonPropertyName("principalId")] string? PrincipalId);

public sealed record S3RequestParameters([property: JsonPropertyName("sourceIPAddress")] string? SourceIPAddress);

public sealed record S3ResponseElements(
    [property: JsonPropertyName("x-amz-request-id")] string? RequestId,
    [property: JsonPropertyName("x-amz-id-2")] string? HostId);

public sealed record S3Entity(
    [property: JsonPropertyName("s3SchemaVersion")] string? SchemaVersion,
    [property: JsonPropertyName("configurationId")] string? ConfigurationId,
    [property: JsonPropertyName("bucket")] S3Bucket? Bucket,
    [property: JsonPropertyName("object")] S3Object? Object);

public sealed record S3Bucket(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("ownerIdentity")] S3Identity? OwnerIdentity,
    [property: JsonPropertyName("arn")] string? Arn);

/// <summary>The object of a record. <see cref="Key"/> is URL-encoded as S3 sends it ('+' for a space).</summary>
public sealed record S3Object(
    [property: JsonPropertyName("key")] string? Key,
    [property: JsonPropertyName("size")] long? Size,
    [property: JsonPropertyName("eTag")] string? ETag,
    [property: JsonPropertyName("versionId")] string? VersionId,
    [property: JsonPropertyName("sequencer")] string? Sequencer)
{
    /// <summary>The key as stored: form-URL decoding, so '+' is a space and '%2B' a plus.</summary>
    public string? DecodedKey => Key is null ? null : WebUtility.UrlDecode(Key);
}

public sealed record S3GlacierEventData([property: JsonPropertyName("restoreEventData")] S3RestoreEventData? RestoreEventData);

public sealed record S3RestoreEventData(
    [property: JsonPropertyName("lifecycleRestorationExpiryTime")] DateTimeOffset? LifecycleRestorationExpiryTime,
    [property: JsonPropertyName("lifecycleRestoreStorageClass")] string? LifecycleRestoreStorageClass);

public sealed record S3LifecycleEventData([property: JsonPropertyName("transitionEventData")] S3TransitionEventData? TransitionEventData);

public sealed record S3TransitionEventData([property: JsonPropertyName("destinationStorageClass")] string? DestinationStorageClass);

public sealed record S3IntelligentTieringEventData([property: JsonPropertyName("destinationAccessTier")] string? DestinationAccessTier);

/// <summary>Source-generated (NativeAOT): the S3 event records.</summary>
[JsonSerializable(typeof(S3EventNotification))]
public sealed partial class S3EventJsonContext : JsonSerializerContext;
