using FsCheck;
using FsCheck.Fluent;

namespace RealName.UnitTests.Properties;

/// <summary>Runs an FsCheck property over generated inputs and says how many it tried; a counter-example fails the test.</summary>
internal static class Fuzz
{
    /// <summary>Characters that look like, or sit next to, the ones identity data is made of: every validator must tell them apart.</summary>
    public static readonly char[] Confusables =
    [
        '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X', 'x', 'H', 'M', 'A', 'Z', 'I', 'O',
        '\u0663', '\u0669',                 // Arabic-Indic digits three and nine (\d matches them)
        '\uFF11', '\uFF13', '\uFF18',       // fullwidth one, three, eight
        '\u0967',                           // Devanagari one
        ' ', '\n', '\r', '\t', '\u00A0', '\u2028', '\0', '-', '.', '军', '字',
    ];

    /// <summary>Checks the property on <paramref name="count"/> generated inputs and returns how many were tried.</summary>
    public static int Check<T>(Gen<T> inputs, Func<T, bool> property, int count = 2000)
    {
        var tried = 0;
        Prop.ForAll(inputs.ToArbitrary(), input =>
        {
            Interlocked.Increment(ref tried);
            return property(input);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(count).WithQuietOnSuccess(true));
        return tried;
    }

    /// <summary>A string of <paramref name="min"/>-<paramref name="max"/> characters over the alphabet.</summary>
    public static Gen<string> StringOf(char[] alphabet, int min, int max) =>
        from length in Gen.Choose(min, max)
        from chars in Gen.Elements(alphabet).ArrayOf(length)
        select new string(chars);

    /// <summary>A valid value with one character replaced, one inserted, or one cut off: the near misses a validator must refuse.</summary>
    public static Gen<string> NearMisses(Gen<string> valid) =>
        from value in valid
        from position in Gen.Choose(0, value.Length)
        from c in Gen.Elements(Confusables)
        from edit in Gen.Choose(0, 2)
        select edit switch
        {
            0 when position < value.Length => value[..position] + c + value[(position + 1)..],
            1 => value[..position] + c + value[position..],
            _ => position < value.Length ? value.Remove(position, 1) : value + c,
        };

    /// <summary>Only the ten ASCII digits.</summary>
    public static bool AsciiDigits(string value) => value.All(char.IsAsciiDigit);
}
