using System.Text;

namespace RealName.Rules;

/// <summary>Enum values as the upper-snake codes used on the wire and in the audit log (ReReviewRequired → RE_REVIEW_REQUIRED).</summary>
public static class WireCodes
{
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var name = value.ToString();
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && !char.IsUpper(name[i - 1]))
            {
                builder.Append('_');
            }

            builder.Append(char.ToUpperInvariant(name[i]));
        }

        return builder.ToString();
    }
}
