using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using TokenFunctions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.AddTokenFunctions();
builder.Build().Run();
