using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using RealName.Contracts.V1;

namespace RealName.Cli.Bench;

/// <summary>The gRPC clients of one run, each with its role's API key (a missing key fails the first call that needs it).</summary>
internal sealed class BenchClients(GrpcChannel channel, BenchKeys keys)
{
    public RegistrationService.RegistrationServiceClient Terminal { get; } = new(WithKey(channel, keys.Terminal, "RETAIL_TERMINAL", "--key"));

    public RiskService.RiskServiceClient Risk { get; } = new(WithKey(channel, keys.Risk, "RISK_OPERATOR", "--risk-key"));

    public AuditService.AuditServiceClient Auditor { get; } = new(WithKey(channel, keys.Auditor, "AUDITOR", "--auditor-key"));

    private static CallInvoker WithKey(GrpcChannel channel, string? key, string role, string option) => channel.Intercept(m =>
    {
        m.Add("x-api-key", key ?? throw new InvalidOperationException($"this scenario needs a {role} key: {option}, or a secrets file (--secrets, default data/secrets.env)"));
        return m;
    });
}
