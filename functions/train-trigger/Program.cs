using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using WineFunctions.Training;

var builder = FunctionsApplication.CreateBuilder(args);
builder.Services.AddTraining(builder.Configuration, "train-trigger"); // a bad setting stops the worker at start, naming it
builder.Build().Run();
