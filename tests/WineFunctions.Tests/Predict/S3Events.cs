namespace WineFunctions.Tests.Predict;

/// <summary>S3 event notifications as AWS documents them (Amazon S3 user guide, "Event message structure"; the Lambda console's s3-put test event).</summary>
internal static class S3Events
{
    /// <summary>The user guide's example of a PUT (structure 2.1), followed by records of the lake's keys in the same form.</summary>
    public const string SeveralRecords = """
        {
           "Records":[
              {
                 "eventVersion":"2.1",
                 "eventSource":"aws:s3",
                 "awsRegion":"us-west-2",
                 "eventTime":"1970-01-01T00:00:00.000Z",
                 "eventName":"ObjectCreated:Put",
                 "userIdentity":{
                    "principalId":"AIDAJDPLRKLG7UEXAMPLE"
                 },
                 "requestParameters":{
                    "sourceIPAddress":"172.16.0.1"
                 },
                 "responseElements":{
                    "x-amz-request-id":"C3D13FE58DE4C810",
                    "x-amz-id-2":"FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"
                 },
                 "s3":{
                    "s3SchemaVersion":"1.0",
                    "configurationId":"testConfigRule",
                    "bucket":{
                       "name":"amzn-s3-demo-bucket",
                       "ownerIdentity":{
                          "principalId":"A3NL1KOZZKExample"
                       },
                       "arn":"arn:aws:s3:::amzn-s3-demo-bucket"
                    },
                    "object":{
                       "key":"HappyFace.jpg",
                       "size":1024,
                       "eTag":"d41d8cd98f00b204e9800998ecf8427e",
                       "versionId":"096fKKXTRTtl3on89fVO.nfljtsv6qko",
                       "sequencer":"0055AED6DCD90281E5"
                    }
                 }
              },
              {
                 "eventVersion":"2.1",
                 "eventSource":"aws:s3",
                 "awsRegion":"eu-west-1",
                 "eventTime":"2026-11-26T18:04:05.123Z",
                 "eventName":"ObjectCreated:Put",
                 "userIdentity":{"principalId":"AWS:AROAEXAMPLEROLE:wine-sink"},
                 "requestParameters":{"sourceIPAddress":"10.0.3.7"},
                 "responseElements":{"x-amz-request-id":"8C4E1F2A3B5D6E7F","x-amz-id-2":"EXAMPLE123/5678abcdefghijklambdaisawesome/mnopqrstuvwxyzABCDEFGH"},
                 "s3":{
                    "s3SchemaVersion":"1.0",
                    "configurationId":"wine-raw-samples",
                    "bucket":{"name":"wine-lake","ownerIdentity":{"principalId":"A3NL1KOZZKExample"},"arn":"arn:aws:s3:::wine-lake"},
                    "object":{"key":"raw/samples/date%3D2026-11-26/hour%3D18/wine.samples%2B3%2B000000000412.parquet","size":48213,"eTag":"9b2cf535f27731c974343645a3985328","sequencer":"00674615F5B0A6C3D2"}
                 }
              },
              {
                 "eventVersion":"2.1",
                 "eventSource":"aws:s3",
                 "awsRegion":"eu-west-1",
                 "eventTime":"2026-11-26T18:04:06.001Z",
                 "eventName":"ObjectCreated:CompleteMultipartUpload",
                 "userIdentity":{"principalId":"AWS:AROAEXAMPLEROLE:cellar-upload"},
                 "requestParameters":{"sourceIPAddress":"203.0.113.9"},
                 "responseElements":{"x-amz-request-id":"1A2B3C4D5E6F7A8B","x-amz-id-2":"Yt2nJ0h3Vq1Jt4R0k3m+EXAMPLE"},
                 "s3":{
                    "s3SchemaVersion":"1.0",
                    "configurationId":"wine-raw-samples",
                    "bucket":{"name":"wine-lake","ownerIdentity":{"principalId":"A3NL1KOZZKExample"},"arn":"arn:aws:s3:::wine-lake"},
                    "object":{"key":"raw/samples/cellar+notes/cask+12+%28old%29.parquet","size":0,"eTag":"d41d8cd98f00b204e9800998ecf8427e","versionId":"3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo","sequencer":"00674615F6A1B2C3D4"}
                 }
              }
           ]
        }
        """;

    /// <summary>The Lambda console's s3-put test event (structure 2.0, a key with an encoded slash).</summary>
    public const string ConsoleS3Put = """
        {"Records":[{"eventVersion":"2.0","eventSource":"aws:s3","awsRegion":"us-east-1","eventTime":"1970-01-01T00:00:00.000Z","eventName":"ObjectCreated:Put","userIdentity":{"principalId":"EXAMPLE"},"requestParameters":{"sourceIPAddress":"127.0.0.1"},"responseElements":{"x-amz-request-id":"EXAMPLE123456789","x-amz-id-2":"EXAMPLE123/5678abcdefghijklambdaisawesome/mnopqrstuvwxyzABCDEFGH"},"s3":{"s3SchemaVersion":"1.0","configurationId":"testConfigRule","bucket":{"name":"example-bucket","ownerIdentity":{"principalId":"EXAMPLE"},"arn":"arn:aws:s3:::example-bucket"},"object":{"key":"test%2Fkey","size":1024,"eTag":"0123456789abcdef0123456789abcdef","sequencer":"0A1B2C3D4E5F678901"}}}]}
        """;

    /// <summary>The user guide's example of a restore completing (glacierEventData), on a raw key: not a creation.</summary>
    public const string RestoreCompleted = """
        {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-west-2","eventTime":"1970-01-01T00:00:00.000Z","eventName":"ObjectRestore:Completed","userIdentity":{"principalId":"AWS:AIDAJDPLRKLG7UEXAMPLE"},"requestParameters":{"sourceIPAddress":"s3.amazonaws.com"},"responseElements":{"x-amz-request-id":"C3D13FE58DE4C810","x-amz-id-2":"FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"},"s3":{"s3SchemaVersion":"1.0","configurationId":"testConfigRule","bucket":{"name":"wine-lake","ownerIdentity":{"principalId":"A3NL1KOZZKExample"},"arn":"arn:aws:s3:::wine-lake"},"object":{"key":"raw/samples/date%3D2026-11-26/hour%3D18/wine.samples%2B3%2B000000000412.parquet","size":1024,"eTag":"d41d8cd98f00b204e9800998ecf8427e","versionId":"096fKKXTRTtl3on89fVO.nfljtsv6qko","sequencer":"0055AED6DCD90281E5"}},"glacierEventData":{"restoreEventData":{"lifecycleRestorationExpiryTime":"1970-01-01T00:00:00.000Z","lifecycleRestoreStorageClass":"Standard"}}}]}
        """;

    /// <summary>What S3 sends once when notifications are configured: no records.</summary>
    public const string TestEvent = """
        {"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-11-26T18:00:00.000Z","Bucket":"wine-lake","RequestId":"5582815E1AEA5ADF","HostId":"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"}
        """;

    /// <summary>An event of the given records.</summary>
    public static string Of(params string[] records) => "{\"Records\":[" + string.Join(",", records) + "]}";

    /// <summary>A record in the documented form for <paramref name="encodedKey"/>, encoded as S3 encodes keys.</summary>
    public static string Record(string eventName, string bucket, string encodedKey) => $$$$"""
        {"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"eu-west-1","eventTime":"2026-11-26T18:04:05.123Z","eventName":"{{{{eventName}}}}","userIdentity":{"principalId":"AWS:AROAEXAMPLEROLE:wine-sink"},"requestParameters":{"sourceIPAddress":"10.0.3.7"},"responseElements":{"x-amz-request-id":"8C4E1F2A3B5D6E7F","x-amz-id-2":"EXAMPLE123/5678abcdefghijklambdaisawesome"},"s3":{"s3SchemaVersion":"1.0","configurationId":"wine-raw-samples","bucket":{"name":"{{{{bucket}}}}","ownerIdentity":{"principalId":"A3NL1KOZZKExample"},"arn":"arn:aws:s3:::{{{{bucket}}}}"},"object":{"key":"{{{{encodedKey}}}}","size":1024,"eTag":"9b2cf535f27731c974343645a3985328","sequencer":"00674615F5B0A6C3D2"}}}
        """;
}
