using System.Text;
using RealName.Rules;

namespace RealName.Gateway.Hosting;

/// <summary>
/// Keeps personal data out of the Orleans dashboard: its grain-state reader and live log stream are closed (404), and
/// every JSON answer (silos, grain types, reminders, whose grain ids contain phone numbers) has its phone and ID numbers
/// masked (<see cref="PersonalDataMasks.InText"/>) before it leaves the gateway.
/// </summary>
public sealed class DashboardPrivacy(RequestDelegate next)
{
    private static readonly string[] Closed = ["/GrainState", "/Trace"];

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(Operations.DashboardPath, out var rest))
        {
            await next(context);
            return;
        }

        if (Closed.Any(c => rest.StartsWithSegments(c, StringComparison.OrdinalIgnoreCase)))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        buffer.Position = 0;
        if (context.Response.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            var masked = Encoding.UTF8.GetBytes(PersonalDataMasks.InText(Encoding.UTF8.GetString(buffer.ToArray())));
            context.Response.ContentLength = masked.Length;
            await original.WriteAsync(masked, context.RequestAborted);
        }
        else
        {
            await buffer.CopyToAsync(original, context.RequestAborted);
        }
    }
}
