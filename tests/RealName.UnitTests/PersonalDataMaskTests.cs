using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RealName.Grains.Logging;
using RealName.Rules;

namespace RealName.UnitTests;

/// <summary>Phone and ID numbers never reach the console log in clear, whoever wrote the message.</summary>
public sealed class PersonalDataMaskTests
{
    [Theory]
    [InlineData("Number 13812345678 registered", "Number 138******78 registered")]
    [InlineData("grain subscriber/13812345678 timed out", "grain subscriber/138******78 timed out")]
    [InlineData("id 31010419850615123X and 310104198506151234.", "id 310*************3X and 310*************34.")]
    [InlineData("old id 310104850615123 here", "old id 310**********23 here")]
    [InlineData("+8613812345678", "+86138******78")]
    public void Numbers_inside_text_are_masked(string text, string masked) => Assert.Equal(masked, PersonalDataMasks.InText(text));

    [Theory]
    [InlineData("seq 1234567890123 at port 11111")]       // 13 digits: neither a phone nor an ID
    [InlineData("12812345678")]                           // 12x is no mobile prefix
    [InlineData("238123456789")]                          // 12 digits
    [InlineData("version 2026-11-30 elapsed 00:00:30")]
    public void Other_numbers_are_left_alone(string text) => Assert.Equal(text, PersonalDataMasks.InText(text));

    [Fact]
    public void The_console_format_masks_the_message_and_the_exception()
    {
        var formatter = new MaskedConsoleFormatter();
        var exception = new TimeoutException("Response did not arrive for subscriber/13912345678 (document 310104198506151234)");
        var entry = new LogEntry<string>(LogLevel.Warning, "Orleans.Messaging", new EventId(7), "call to 13912345678 failed", exception, (state, _) => state);
        using var output = new StringWriter();

        formatter.Write(entry, null, output);

        var written = output.ToString();
        Assert.DoesNotContain("13912345678", written, StringComparison.Ordinal);
        Assert.DoesNotContain("310104198506151234", written, StringComparison.Ordinal);
        Assert.Contains("warn: Orleans.Messaging[7]", written, StringComparison.Ordinal);
        Assert.Contains("call to 139******78 failed", written, StringComparison.Ordinal);
        Assert.Contains("TimeoutException: Response did not arrive for subscriber/139******78 (document 310*************34)", written, StringComparison.Ordinal);
    }
}
