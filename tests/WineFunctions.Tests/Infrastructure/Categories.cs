namespace WineFunctions.Tests.Infrastructure;

/// <summary>
/// Test categories: <c>./test.sh --filter Category=Unit</c> runs the tests that need no server, no
/// browser and no published package, in seconds.
/// </summary>
internal static class Categories
{
    public const string Name = "Category";
    public const string Unit = "Unit";
}
