namespace WineFunctions.Hosting;

/// <summary>Files that hold credentials (passwords, tokens): readable and writable by their owner only, from the moment they exist.</summary>
public static class PrivateFile
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
            if (File.Exists(path))
            {
                File.SetUnixFileMode(path, OwnerOnly); // an older copy may have been wider; narrow it before writing secrets into it
            }
        }
        await using var stream = new FileStream(path, options);
        await stream.WriteAsync(content, cancellationToken);
    }

    public static Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken) =>
        WriteAllBytesAsync(path, System.Text.Encoding.UTF8.GetBytes(text), cancellationToken);
}
