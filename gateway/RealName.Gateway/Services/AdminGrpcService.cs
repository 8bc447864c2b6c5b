using Google.Protobuf.WellKnownTypes;
using RealName.Contracts.V1;
using RealName.Grains.Callers;
using RealName.Grains.Subscribers;
using RealName.Storage.Reads;
using ContractCaller = RealName.Contracts.V1.Caller;
using ContractScope = RealName.Contracts.V1.CallerScope;

namespace RealName.Gateway.Services;

/// <summary>
/// realname.v1.AdminService: issues, lists and revokes callers and maps client certificates to them.
/// The key is generated here and returned once; the grain (the only writer, which also records the
/// change in the audit log) receives only its SHA-256.
/// </summary>
[Authorize(Roles = Roles.Admin)]
public sealed class AdminGrpcService(IClusterClient cluster, CallerDirectory directory, CallerCache cache) : AdminService.AdminServiceBase
{
    public override async Task<IssueCallerResponse> IssueCaller(IssueCallerRequest request, ServerCallContext context)
    {
        var scope = request.Scope ?? new ContractScope();
        var definition = new CallerDefinition(
            request.Name,
            request.Role == CallerRole.Unspecified ? "" : Rules.WireCodes.Of(request.Role),
            [.. scope.CarrierIds],
            [.. scope.OutletIds],
            scope.ChannelKind == ChannelKind.Unspecified ? null : Rules.WireCodes.Of(scope.ChannelKind),
            [.. scope.DeviceIds]).Normalized();
        var violations = new Violations();
        foreach (var (field, problem) in definition.Problems())
        {
            violations.Add(field, problem);
        }

        violations.ThrowIfAny();
        var key = ApiKeys.New();
        Refuse(await cluster.GetGrain<ICallerGrain>(definition.Name).Issue(definition, ApiKeys.Hash(key)));
        return new IssueCallerResponse { Caller = await Read(definition.Name), ApiKey = key };
    }

    public override async Task<ListCallersResponse> ListCallers(ListCallersRequest request, ServerCallContext context)
    {
        var response = new ListCallersResponse();
        response.Callers.AddRange((await directory.ListAsync(request.IncludeRevoked, context.CancellationToken)).Select(ToContract));
        return response;
    }

    public override async Task<RevokeCallerResponse> RevokeCaller(RevokeCallerRequest request, ServerCallContext context)
    {
        var name = RequireName(request.Name);
        if (string.Equals(name, Caller.Name(context), StringComparison.Ordinal))
        {
            // Another administrator revokes this one: so the last administrator can never lock everyone out.
            throw GrpcErrors.Error(Rules.ReasonCode.SelfRevocationForbidden, "An administrator cannot revoke its own credential; another administrator can.");
        }

        Refuse(await cluster.GetGrain<ICallerGrain>(name).Revoke());
        cache.Clear();
        return new RevokeCallerResponse { Caller = await Read(request.Name.Trim()) };
    }

    public override async Task<AttachCallerCertificateResponse> AttachCallerCertificate(AttachCallerCertificateRequest request, ServerCallContext context)
    {
        var violations = new Violations();
        var thumbprint = ApiKeys.NormalizeThumbprint(request.ThumbprintSha256);
        if (thumbprint is null)
        {
            violations.Add("thumbprint_sha256", "INVALID_THUMBPRINT: the SHA-256 of the certificate, 64 hex digits");
        }

        var name = RequireName(request.Name, violations);
        Refuse(await cluster.GetGrain<ICallerGrain>(name).AttachCertificate(thumbprint!));
        cache.Clear();
        return new AttachCallerCertificateResponse { Caller = await Read(name) };
    }

    private static string RequireName(string name, Violations? violations = null)
    {
        violations ??= new Violations();
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 64)
        {
            violations.Add("name", "REQUIRED: a caller name");
        }

        violations.ThrowIfAny();
        return name.Trim();
    }

    private static void Refuse(Refusal? refusal)
    {
        if (refusal is null)
        {
            return;
        }

        throw GrpcErrors.Refused(refusal);
    }

    private async Task<ContractCaller> Read(string name) =>
        ToContract(await directory.GetAsync(name) ?? throw GrpcErrors.Error(RealName.Rules.ReasonCode.CallerNotFound, "No caller has this name."));

    private static ContractCaller ToContract(CallerRow row)
    {
        var caller = new ContractCaller
        {
            Name = row.Name,
            Role = System.Enum.TryParse<CallerRole>(row.Role.Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var role) ? role : CallerRole.Unspecified,
            Scope = new ContractScope
            {
                ChannelKind = row.ChannelKind switch { "RETAIL" => ChannelKind.Retail, "ONLINE" => ChannelKind.Online, _ => ChannelKind.Unspecified },
            },
            CreatedAt = Timestamp.FromDateTimeOffset(row.CreatedAt),
            CreatedBy = row.CreatedBy,
            RevokedBy = row.RevokedBy ?? "",
            RevokedAt = row.RevokedAt is { } revoked ? Timestamp.FromDateTimeOffset(revoked) : null,
        };
        caller.Scope.CarrierIds.AddRange(row.CarrierIds);
        caller.Scope.OutletIds.AddRange(row.OutletIds);
        caller.Scope.DeviceIds.AddRange(row.DeviceIds);
        caller.CertificateThumbprints.AddRange(row.CertificateThumbprints);
        return caller;
    }
}
