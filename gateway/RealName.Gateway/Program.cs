using RealName.Gateway.Hosting;

await GatewayApp.Build(args).RunAsync();
