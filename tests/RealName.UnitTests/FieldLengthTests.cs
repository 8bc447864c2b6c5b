using Google.Protobuf.Reflection;
using RealName.Contracts.V1;
using RealName.Gateway.Validation;
using RealName.Rules;

namespace RealName.UnitTests;

/// <summary>Every string a request can carry is bounded in the contract, and the bound is enforced on nested and repeated fields.</summary>
public sealed class FieldLengthTests
{
    private static readonly FileDescriptor[] Contract =
    [
        AdminReflection.Descriptor, AuditReflection.Descriptor, RegistrationReflection.Descriptor, ReviewReflection.Descriptor,
        RiskReflection.Descriptor, SelfServiceReflection.Descriptor,
    ];

    [Fact]
    public void Every_string_field_reachable_from_a_request_declares_its_maximum_length()
    {
        var inputs = Contract.SelectMany(file => file.Services).SelectMany(service => service.Methods).Select(method => method.InputType).ToList();
        var unbounded = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var todo = new Stack<MessageDescriptor>(inputs);
        while (todo.TryPop(out var message))
        {
            if (!seen.Add(message.FullName) || message.FullName.StartsWith("google.", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var field in message.Fields.InDeclarationOrder())
            {
                if (field.FieldType == FieldType.String && FieldLengths.MaxLengthOf(field) is null)
                {
                    unbounded.Add(field.FullName);
                }
                else if (field.FieldType == FieldType.Message)
                {
                    todo.Push(field.MessageType);
                }
            }
        }

        Assert.True(inputs.Count >= 20, $"only {inputs.Count} request types found");
        Assert.Empty(unbounded);
    }

    [Fact]
    public void The_first_over_long_value_is_named_by_its_path_nested_or_repeated()
    {
        var registration = new RegisterSubscriberRequest
        {
            PhoneNumber = "13800000000",
            Customer = new PersonEvidence { Document = new IdentityDocument { Name = new string('王', 129) } },
        };
        var caller = new IssueCallerRequest { Name = "ok", Scope = new CallerScope { CarrierIds = { "cmcc", new string('x', 65) } } };
        var fine = new RegisterSubscriberRequest { PhoneNumber = "13800000000", Channel = new ChannelContext { ClerkId = new string('c', 64) } };

        Assert.Equal(("customer.document.name", ReasonCode.FieldTooLong, "at most 128 characters, got 129"), FieldLengths.FirstProblem(registration));
        Assert.Equal(("scope.carrier_ids[1]", ReasonCode.FieldTooLong, "at most 64 characters, got 65"), FieldLengths.FirstProblem(caller));
        Assert.Null(FieldLengths.FirstProblem(fine));
    }

    /// <summary>Found by buf curl against a running grid: U+0000 in a scope value or an outlet id reached PostgreSQL and came back UNAVAILABLE.</summary>
    [Fact]
    public void The_first_string_with_a_control_character_is_named_by_its_path_and_tabs_and_line_breaks_pass()
    {
        var caller = new IssueCallerRequest { Name = "ok", Scope = new CallerScope { CarrierIds = { "cmcc", "cm\u0000cc" } } };
        var campaign = new StartReReviewCampaignRequest { OutletId = "PA\u001BX" };
        var bell = new RegisterSubscriberRequest { Channel = new ChannelContext { ClerkId = "c\u0085" } };
        var notes = new SuspendOutletRequest { OutletId = "BJ-001", Reason = "line one\r\nline two\tend" };

        Assert.Equal(("scope.carrier_ids[1]", ReasonCode.ControlCharacter), FieldLengths.FirstProblem(caller) is { } c ? (c.Path, c.Reason) : default);
        Assert.Equal(("outlet_id", ReasonCode.ControlCharacter), FieldLengths.FirstProblem(campaign) is { } o ? (o.Path, o.Reason) : default);
        Assert.Equal(("channel.clerk_id", ReasonCode.ControlCharacter), FieldLengths.FirstProblem(bell) is { } b ? (b.Path, b.Reason) : default);
        Assert.Null(FieldLengths.FirstProblem(notes));
    }
}
