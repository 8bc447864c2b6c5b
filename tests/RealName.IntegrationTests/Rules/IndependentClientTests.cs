using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Rules;

/// <summary>
/// A non-.NET client (buf curl, a Go program) drives registration through server reflection only: no
/// .proto files, no generated code, so the contract works for other languages.
/// </summary>
[Collection(GridCollection.Name)]
public sealed class IndependentClientTests(GridFixture grid)
{
    [Fact]
    public async Task Buf_curl_registers_and_reads_back_a_subscriber_through_reflection()
    {
        var phone = Requests.NewPhoneNumber();
        var request = new JsonObject
        {
            ["phone_number"] = phone,
            ["customer"] = new JsonObject
            {
                ["document"] = new JsonObject { ["type"] = "DOCUMENT_TYPE_RESIDENT_ID", ["number"] = Requests.NewResidentId(), ["name"] = "李四", ["valid_until"] = "2036-05-01" },
                ["portrait_image"] = Faces.Image(Faces.CardHolder.Portrait).ToBase64(),
                ["live_image"] = Faces.Image(Faces.CardHolder.Live).ToBase64(),
            },
            ["channel"] = new JsonObject { ["kind"] = "CHANNEL_KIND_RETAIL", ["carrier_id"] = "cmcc", ["region"] = "440300", ["outlet_id"] = "SZ-200", ["clerk_id"] = "c-2", ["device_id"] = "reader-9" },
            ["idempotency_key"] = "buf-curl-" + Guid.NewGuid().ToString("N"),
            ["consent"] = new JsonObject { ["consent_id"] = "buf-consent-1", ["text_version"] = "face-2026.1", ["consented_at"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) },
            ["risk_notice"] = new JsonObject { ["notice_version"] = "fraud-2021.1", ["acknowledged_at"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) },
        };

        var registered = await BufCurl("realname.v1.RegistrationService/RegisterSubscriber", request.ToJsonString());
        var read = await BufCurl("realname.v1.RegistrationService/GetSubscriber", new JsonObject { ["phone_number"] = phone }.ToJsonString());

        Assert.Equal("SUBSCRIBER_STATUS_ACTIVE", registered["subscriber"]!["status"]!.GetValue<string>());
        Assert.Equal("MATCH", registered["subscriber"]!["faces"]![0]!["decision"]!.GetValue<string>());
        Assert.Equal("SZ-200", read["subscriber"]!["registeredBy"]!["outletId"]!.GetValue<string>());
    }

    private async Task<JsonNode> BufCurl(string method, string body)
    {
        var buf = Path.Combine(TestEnvironment.RepoRoot, "tools", "node", "node_modules", ".bin", "buf");
        Assert.True(File.Exists(buf), "buf is not installed: run scripts/prereqs.sh (npm ci in tools/node)");
        var bodyFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(bodyFile, body);
        try
        {
            var start = new ProcessStartInfo(buf, [
                "curl", "--http2-prior-knowledge", "--protocol", "grpc",
                "-H", "x-api-key: " + GatewayServer.KeyFor(Roles.RetailTerminal),
                "-d", "@" + bodyFile,
                new Uri(grid.Gateway.GrpcAddress, method).ToString(),
            ])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"buf curl failed: {await error}{await output}");
            return JsonNode.Parse(await output) ?? throw new JsonException("empty response");
        }
        finally
        {
            File.Delete(bodyFile);
        }
    }
}
