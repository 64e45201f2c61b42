using WineFunctions.Cli;

return await WineCommand.Create().Parse(args).InvokeAsync();
