using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using RealName.Contracts.V1;

namespace RealName.Cli.Commands;

/// <summary>`realname callers ...`: issue, list and revoke the grid's callers (an ADMIN key).</summary>
internal static class CallerCommands
{
    private static readonly Google.Protobuf.Reflection.EnumDescriptor RoleEnum = AdminReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("CallerRole");
    private static readonly Option<bool> JsonOption = new("--json") { Description = "Print one JSON object" };

    public static Command Create()
    {
        var callers = new Command("callers", "Administer the callers of a running grid (needs an ADMIN key)");
        callers.Subcommands.Add(IssueCommand());
        callers.Subcommands.Add(ListCommand());
        callers.Subcommands.Add(RevokeCommand());
        callers.Subcommands.Add(AttachCertificateCommand());
        return callers;
    }

    private static Command IssueCommand()
    {
        var name = new Option<string>("--name") { Description = "Unique caller name (letters, digits, '.', '_', '-')", Required = true };
        var role = new Option<string>("--role") { Description = "RETAIL_TERMINAL, ONLINE_SALES, REVIEWER, RISK_OPERATOR, AUDITOR or ADMIN", Required = true };
        var carriers = new Option<string[]>("--carrier") { Description = "A carrier the caller acts for (repeatable)" };
        var outlets = new Option<string[]>("--outlet") { Description = "An outlet the caller acts for (repeatable)" };
        var kind = new Option<string?>("--channel-kind") { Description = "RETAIL or ONLINE (default: the role's)" };
        var devices = new Option<string[]>("--device") { Description = "A device the caller acts from (repeatable)" };
        var command = new Command("issue", "Issue a caller and print its API key (shown only once)")
        {
            GridCommands.AddressOption, GridCommands.KeyOption, name, role, carriers, outlets, kind, devices, JsonOption,
        };
        command.SetAction((r, ct) => Call(r, async client =>
        {
            var scope = new CallerScope
            {
                ChannelKind = r.GetValue(kind)?.ToUpperInvariant() switch
                {
                    null or "" => ChannelKind.Unspecified,
                    "RETAIL" => ChannelKind.Retail,
                    "ONLINE" => ChannelKind.Online,
                    var other => throw new InvalidOperationException($"--channel-kind {other}: RETAIL or ONLINE"),
                },
            };
            scope.CarrierIds.AddRange(r.GetValue(carriers) ?? []);
            scope.OutletIds.AddRange(r.GetValue(outlets) ?? []);
            scope.DeviceIds.AddRange(r.GetValue(devices) ?? []);
            var roleName = "CALLER_ROLE_" + r.GetValue(role)!.ToUpperInvariant();
            var parsed = RoleEnum.Values.FirstOrDefault(v => v.Name == roleName)
                ?? throw new InvalidOperationException($"--role {r.GetValue(role)}: RETAIL_TERMINAL, ONLINE_SALES, REVIEWER, RISK_OPERATOR, AUDITOR or ADMIN");
            var issued = await client.IssueCallerAsync(new IssueCallerRequest { Name = r.GetValue(name), Role = (CallerRole)parsed.Number, Scope = scope }, cancellationToken: ct);
            Console.WriteLine(r.GetValue(JsonOption)
                ? JsonSerializer.Serialize(new { name = issued.Caller.Name, key = issued.ApiKey, role = Role(issued.Caller), scope = Scope(issued.Caller) })
                : $"issued {Describe(issued.Caller)}\nkey (shown once; send as x-api-key): {issued.ApiKey}");
        }));
        return command;
    }

    private static Command ListCommand()
    {
        var revoked = new Option<bool>("--include-revoked") { Description = "Also list revoked callers" };
        var command = new Command("list", "List callers (no key material)") { GridCommands.AddressOption, GridCommands.KeyOption, revoked, JsonOption };
        command.SetAction((r, ct) => Call(r, async client =>
        {
            var listed = await client.ListCallersAsync(new ListCallersRequest { IncludeRevoked = r.GetValue(revoked) }, cancellationToken: ct);
            Console.WriteLine(r.GetValue(JsonOption)
                ? JsonSerializer.Serialize(new
                {
                    callers = listed.Callers.Select(c => new
                    {
                        name = c.Name,
                        role = Role(c),
                        scope = Scope(c),
                        created_at = c.CreatedAt.ToDateTimeOffset(),
                        created_by = c.CreatedBy,
                        revoked_at = c.RevokedAt?.ToDateTimeOffset(),
                        revoked_by = c.RevokedBy,
                        certificate_thumbprints = c.CertificateThumbprints,
                    }),
                })
                : string.Join('\n', listed.Callers.Select(Describe)));
        }));
        return command;
    }

    private static Command RevokeCommand()
    {
        var name = new Argument<string>("NAME") { Description = "The caller to revoke" };
        var command = new Command("revoke", "Revoke a caller: its key and certificates are refused within seconds") { GridCommands.AddressOption, GridCommands.KeyOption, name, JsonOption };
        command.SetAction((r, ct) => Call(r, async client =>
        {
            var revoked = await client.RevokeCallerAsync(new RevokeCallerRequest { Name = r.GetValue(name) }, cancellationToken: ct);
            Console.WriteLine(r.GetValue(JsonOption)
                ? JsonSerializer.Serialize(new { name = revoked.Caller.Name, revoked_at = revoked.Caller.RevokedAt?.ToDateTimeOffset(), revoked_by = revoked.Caller.RevokedBy })
                : $"revoked {Describe(revoked.Caller)}");
        }));
        return command;
    }

    private static Command AttachCertificateCommand()
    {
        var name = new Argument<string>("NAME") { Description = "The caller" };
        var thumbprint = new Option<string>("--thumbprint") { Description = "SHA-256 of the client certificate (hex; e.g. openssl x509 -noout -fingerprint -sha256)", Required = true };
        var command = new Command("attach-certificate", "Map a mutual-TLS client certificate to a caller") { GridCommands.AddressOption, GridCommands.KeyOption, name, thumbprint, JsonOption };
        command.SetAction((r, ct) => Call(r, async client =>
        {
            var attached = await client.AttachCallerCertificateAsync(new AttachCallerCertificateRequest { Name = r.GetValue(name), ThumbprintSha256 = r.GetValue(thumbprint) }, cancellationToken: ct);
            Console.WriteLine(r.GetValue(JsonOption)
                ? JsonSerializer.Serialize(new { name = attached.Caller.Name, certificate_thumbprints = attached.Caller.CertificateThumbprints })
                : $"attached to {Describe(attached.Caller)}");
        }));
        return command;
    }

    /// <summary>Runs one AdminService call; a refused call prints its status and reason and exits 1.</summary>
    private static async Task<int> Call(ParseResult r, Func<AdminService.AdminServiceClient, Task> action)
    {
        using var channel = GrpcChannel.ForAddress(r.GetValue(GridCommands.AddressOption)!);
        try
        {
            await action(new AdminService.AdminServiceClient(GridCommands.WithKey(channel, GridCommands.ApiKey(r, "an ADMIN key"))));
            return 0;
        }
        catch (RpcException e)
        {
            var reason = e.GetRpcStatus()?.GetDetail<Google.Rpc.ErrorInfo>()?.Reason ?? "";
            await Console.Error.WriteLineAsync($"{e.StatusCode} {reason}: {e.Status.Detail}");
            return 1;
        }
    }

    /// <summary>The role as on the wire, without its enum prefix (RETAIL_TERMINAL).</summary>
    private static string Role(Caller caller) => RoleEnum.FindValueByNumber((int)caller.Role).Name["CALLER_ROLE_".Length..];

    private static object Scope(Caller caller) => new
    {
        carrier_ids = caller.Scope.CarrierIds,
        outlet_ids = caller.Scope.OutletIds,
        channel_kind = caller.Scope.ChannelKind == ChannelKind.Unspecified ? null : caller.Scope.ChannelKind.ToString().ToUpperInvariant(),
        device_ids = caller.Scope.DeviceIds,
    };

    private static string Describe(Caller c) => string.Create(CultureInfo.InvariantCulture,
        $"{c.Name}\t{Role(c)}\tcarriers={Join(c.Scope.CarrierIds)} outlets={Join(c.Scope.OutletIds)} devices={Join(c.Scope.DeviceIds)}\tcreated {c.CreatedAt.ToDateTimeOffset():u} by {c.CreatedBy}{(c.RevokedAt is null ? "" : $"\tREVOKED {c.RevokedAt.ToDateTimeOffset():u} by {c.RevokedBy}")}");

    private static string Join(IEnumerable<string> values) => values.Any() ? string.Join(',', values) : "*";
}
