using System.Text;
using System.Text.Json;
using WineFunctions.Samples;
using WineFunctions.Tests.Infrastructure;

namespace WineFunctions.Tests.Samples;

/// <summary>Random and mutated payloads: the validator never throws and never accepts what a second, independent parser would not.</summary>
[Trait(Categories.Name, Categories.Unit)]
public sealed class HostileBytesPropertyTests
{
    private const int Seed = 20261126;

    [Fact]
    public void Random_bytes_never_throw_and_never_validate()
    {
        var random = new Random(Seed);
        for (var i = 0; i < 20_000; i++)
        {
            var payload = new byte[random.Next(0, 2048)];
            random.NextBytes(payload);
            var result = SampleValidator.Validate(payload, SampleContractTests.Now);
            Assert.False(result.IsValid, $"random payload #{i} validated");
            Assert.NotEmpty(result.Rejections);
        }
    }

    [Fact]
    public void Mutated_samples_never_throw_and_validate_only_when_they_still_are_samples()
    {
        var random = new Random(Seed);
        var original = Encoding.UTF8.GetBytes(SampleContractTests.ValidJson());
        int accepted = 0, refused = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var payload = Mutate(original, random);
            var result = SampleValidator.Validate(payload, SampleContractTests.Now);
            if (!result.IsValid)
            {
                Assert.NotEmpty(result.Rejections);
                refused++;
                continue;
            }
            accepted++;
            // An accepted mutant must be a real sample to an independent reader too.
            var oracle = JsonSerializer.Deserialize(payload, SampleJsonContext.Default.WineSample);
            Assert.Equal(oracle, result.Sample);
            Assert.Empty(SampleValidator.Check(oracle!, SampleContractTests.Now));
        }
        // Both outcomes must occur, or the property says nothing.
        Assert.InRange(accepted, 1, 19_999);
        Assert.InRange(refused, 1, 19_999);
    }

    [Fact]
    public void The_fast_path_accepts_only_what_the_full_validation_accepts_as_the_same_sample()
    {
        var random = new Random(Seed + 1);
        var original = Encoding.UTF8.GetBytes(SampleContractTests.ValidJson());
        int fast = 0, explained = 0;
        var payloads = Enumerable.Range(0, 20_000).Select(_ => Mutate(original, random))
            .Append(SampleJson.Serialize(SampleContractTests.Valid() with { SimulatedClass = QualityClass.Best }))
            .Concat(SampleContractTests.Rejections.Select(row => Encoding.UTF8.GetBytes(SampleContractTests.ValidJson().Replace((string)row[1], (string)row[2]))));
        foreach (var payload in payloads)
        {
            var full = SampleValidator.Explain(payload, SampleContractTests.Now, SampleValidationOptions.Default);
            if (SampleFastReader.TryRead(payload, SampleContractTests.Now, SampleValidationOptions.Default) is not { } sample)
            {
                explained++;
                continue;
            }
            fast++;
            Assert.True(full.IsValid, string.Join("; ", full.Rejections));
            Assert.Equal(full.Sample, sample);
        }
        // The usual form takes the fast path; what it leaves, the full validation explains.
        Assert.True(SampleFastReader.TryRead(original, SampleContractTests.Now, SampleValidationOptions.Default) is not null);
        Assert.InRange(fast, 1, 19_999);
        Assert.InRange(explained, 1, 19_999);
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        for (var edits = random.Next(1, 4); edits > 0 && bytes.Count > 0; edits--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveAt(at); break;
                case 2: bytes.Insert(at, (byte)random.Next(256)); break;
                case 3: bytes[at] = (byte)"0123456789.-e\"{}[],:"[random.Next(20)]; break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }
        return [.. bytes];
    }
}
