using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using WineFunctions.Sink;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddSink(builder.Configuration); // a bad setting stops the worker at start, naming it
builder.Build().Run();
