namespace RealName.IntegrationTests.Infrastructure;

internal static class Enterprises
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    private static int next = 1000;

    /// <summary>A fresh unified social credit code with a correct GB 32100 check character.</summary>
    public static string NewCreditCode()
    {
        var body = $"913101{Interlocked.Increment(ref next):D6}MA1K0";
        var sum = body.Select((c, i) => Alphabet.IndexOf(c, StringComparison.Ordinal) * Weights[i]).Sum();
        return body + Alphabet[(31 - (sum % 31)) % 31];
    }
}
