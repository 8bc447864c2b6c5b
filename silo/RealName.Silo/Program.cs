using Microsoft.Extensions.Hosting;
using RealName.Silo;

var builder = Host.CreateApplicationBuilder(args);
builder.AddRealNameSilo();
await builder.Build().RunAsync();
