using System.Diagnostics;
using OpenTelemetry;
using RealName.Rules;

namespace RealName.Grains.Telemetry;

/// <summary>
/// Masks phone and ID numbers (<see cref="PersonalDataMasks.InText"/>) in every string a span carries when it ends:
/// its name, its tags and its status description. Our own spans tag codes only; this catches what others put
/// there, such as Orleans' grain ids ("subscriber/138…") on its call spans. Runs before any exporter sees the span.
/// </summary>
public sealed class PersonalDataScrubber : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        data.DisplayName = PersonalDataMasks.InText(data.DisplayName);
        foreach (var (key, value) in data.TagObjects.ToList())
        {
            if (value is string text && PersonalDataMasks.InText(text) is var masked && masked != text)
            {
                data.SetTag(key, masked);
            }
        }

        if (data.StatusDescription is { } description)
        {
            data.SetStatus(data.Status, PersonalDataMasks.InText(description));
        }
    }
}
