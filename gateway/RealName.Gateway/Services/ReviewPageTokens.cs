using System.Buffers.Text;
using System.Globalization;
using System.Text;
using RealName.Grains.Reviews;

namespace RealName.Gateway.Services;

/// <summary>
/// ListPendingReviews page tokens: the position (creation time, case id) of the last case of the page, so the
/// next page resumes after it even when that case was decided in between. Opaque to clients (base64url).
/// </summary>
public static class ReviewPageTokens
{
    public static string Of(ReviewCursor cursor) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(cursor.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture) + " " + cursor.CaseId));

    public static bool TryParse(string token, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ReviewCursor? cursor)
    {
        cursor = null;
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(bytes);
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || space == text.Length - 1
            || !long.TryParse(text.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new ReviewCursor(new DateTimeOffset(ticks, TimeSpan.Zero), text[(space + 1)..]);
        return true;
    }
}
