using System.Diagnostics;
using RealName.Contracts.V1;
using RealName.IntegrationTests.Infrastructure;

namespace RealName.IntegrationTests.Telemetry;

/// <summary>
/// Traces and metric tags of a registration through the whole grid (gateway, grains, face engine, PostgreSQL), captured
/// with the in-memory exporters of <see cref="InProcessGrid"/>.
/// </summary>
public sealed class TracingTests(InProcessGrid grid) : IClassFixture<InProcessGrid>
{
    private RegistrationService.RegistrationServiceClient Client => new(grid.Gateway.As(Roles.RetailTerminal));

    [Fact]
    public async Task A_registration_is_one_trace_from_the_gateway_through_the_grain_and_face_engine_to_PostgreSQL()
    {
        var phone = Requests.NewPhoneNumber();
        await Client.RegisterSubscriberAsync(Requests.Register(phone));

        var trace = await RegistrationTraceAsync(phone);
        var root = Assert.Single(trace, s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server);
        Assert.Contains("RegisterSubscriber", root.DisplayName, StringComparison.Ordinal);
        var grainCall = trace.SingleOrDefault(s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.Kind == ActivityKind.Server
            && s.DisplayName.EndsWith("ISubscriberGrain/Register", StringComparison.Ordinal));
        Assert.True(grainCall is not null, Chain(root, trace));
        var compare = Assert.Single(trace, s => s.Source.Name == "RealName.Face" && s.DisplayName == "face compare");
        Assert.Equal(2, trace.Count(s => s.Source.Name == "RealName.Face" && s.DisplayName == "face extract" && IsUnder(s, compare, trace)));
        var database = trace.Where(s => s.Source.Name == "Npgsql").ToList();

        // The chain: gateway request → grain call (on the silo) → face comparison, and PostgreSQL under the grain call.
        Assert.True(IsUnder(grainCall!, root, trace), Chain(grainCall!, trace));
        Assert.True(IsUnder(compare, grainCall!, trace), Chain(compare, trace));
        Assert.Contains(database, s => IsUnder(s, grainCall!, trace));
        Assert.Equal("MATCH", compare.GetTagItem("realname.face.decision"));
    }

    [Fact]
    public async Task No_exported_span_attribute_or_metric_tag_of_a_registration_carries_its_personal_data()
    {
        var phone = Requests.NewPhoneNumber();
        var request = Requests.Register(phone);
        var personal = new[] { phone, request.Customer.Document.Number, request.Customer.Document.Name };
        await Client.RegisterSubscriberAsync(request);
        await Client.GetSubscriberAsync(new GetSubscriberRequest { PhoneNumber = phone });

        var trace = await RegistrationTraceAsync(phone);
        var texts = trace.SelectMany(SpanTexts).ToList();
        Assert.Contains(texts, t => t.Contains("RegisterSubscriber", StringComparison.Ordinal));   // the search looks at real content
        var metricTags = grid.MetricsNow().SelectMany(m => m.MetricPoints).SelectMany(p => Tags(p.Tags)).ToList();
        Assert.Contains(metricTags, t => t.Contains("RETAIL", StringComparison.Ordinal));
        foreach (var value in personal)
        {
            Assert.DoesNotContain(texts, t => t.Contains(value, StringComparison.Ordinal));
            Assert.DoesNotContain(metricTags, t => t.Contains(value, StringComparison.Ordinal));
        }

        // Orleans puts the grain id (subscriber/<number>) on its spans: it is there, masked.
        Assert.Contains(texts, t => t.Contains(phone[..3] + "******" + phone[^2..], StringComparison.Ordinal));
    }

    /// <summary>
    /// The spans of the trace of this number's RegisterSubscriber request, once its root has ended. The trace is picked by
    /// the number (masked in the subscriber grain's id on Orleans' spans), not as the latest: on a loaded machine this
    /// request's root can reach the exporter after the test looks, and the latest is then another test's registration.
    /// </summary>
    private async Task<IReadOnlyList<Activity>> RegistrationTraceAsync(string phone)
    {
        var masked = phone[..3] + "******" + phone[^2..];
        var root = await Eventually.Get(
            () =>
            {
                var spans = grid.SpansNow();
                var ours = spans.Where(s => SpanTexts(s).Any(t => t.Contains(masked, StringComparison.Ordinal))).Select(s => s.TraceId).ToHashSet();
                return Task.FromResult(spans.LastOrDefault(s => s.Source.Name == "Microsoft.AspNetCore" && s.DisplayName.Contains("RegisterSubscriber", StringComparison.Ordinal) && ours.Contains(s.TraceId)));
            },
            s => s is not null,
            TimeSpan.FromSeconds(10),
            "the gateway's RegisterSubscriber span of this registration");
        await Task.Delay(500);   // spans that end after the answer (follow-ups) have reached the exporter
        return [.. grid.SpansNow().Where(s => s.TraceId == root!.TraceId)];
    }

    private static bool IsUnder(Activity span, Activity ancestor, IReadOnlyList<Activity> trace)
    {
        var byId = trace.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        for (var current = span; current is not null; current = byId.GetValueOrDefault(current.ParentSpanId))
        {
            if (current.ParentSpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    private static string Chain(Activity span, IReadOnlyList<Activity> trace)
    {
        var byId = trace.GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        var names = new List<string>();
        for (var current = span; current is not null; current = byId.GetValueOrDefault(current.ParentSpanId))
        {
            names.Add($"{current.Source.Name}:{current.DisplayName}");
        }

        return "chain: " + string.Join(" <- ", names) + "\nall: " + string.Join(", ", trace.Select(s => $"{s.Source.Name}:{s.DisplayName}"));
    }

    private static IEnumerable<string> SpanTexts(Activity span) =>
        new[] { span.DisplayName, span.OperationName, span.StatusDescription ?? "" }
            .Concat(span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
            .Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}")))
            .Concat(span.Baggage.Select(b => $"{b.Key}={b.Value}"));

    private static IEnumerable<string> Tags(OpenTelemetry.ReadOnlyTagCollection tags)
    {
        foreach (var tag in tags)
        {
            yield return $"{tag.Key}={tag.Value}";
        }
    }
}
