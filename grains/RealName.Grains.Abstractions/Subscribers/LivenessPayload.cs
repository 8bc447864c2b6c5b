using System.Globalization;
using System.Text;

namespace RealName.Grains.Subscribers;

/// <summary>
/// The exact bytes a liveness SDK signs (documented on realname.v1.LivenessAttestation): UTF-8 lines joined
/// by LF, no trailing LF: the label, provider, key id, session id, passed, score with six decimals, the
/// signing time in Unix seconds, and the phone number the request is about (empty for ListNumbers).
/// </summary>
public static class LivenessPayload
{
    public const string Label = "realname.v1.LivenessAttestation";

    /// <summary>The payload, or null when a text field contains a line feed (it could not be signed unambiguously).</summary>
    public static byte[]? Bytes(LivenessAttestation attestation, DateTimeOffset signedAt, string phoneNumber)
    {
        string[] text = [attestation.Provider, attestation.KeyId, attestation.SessionId, phoneNumber];
        if (text.Any(t => t.Contains('\n', StringComparison.Ordinal)))
        {
            return null;
        }

        var lines = new[]
        {
            Label,
            attestation.Provider,
            attestation.KeyId,
            attestation.SessionId,
            attestation.Passed ? "true" : "false",
            attestation.Score.ToString("F6", CultureInfo.InvariantCulture),
            signedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            phoneNumber,
        };
        return Encoding.UTF8.GetBytes(string.Join('\n', lines));
    }
}
