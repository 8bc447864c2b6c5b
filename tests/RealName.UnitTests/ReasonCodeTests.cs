using System.Reflection;
using Google.Rpc;
using Grpc.Core;
using RealName.Gateway.Errors;
using RealName.Gateway.Validation;
using RealName.Grains;
using RealName.Grains.Subscribers;
using RealName.Rules;

namespace RealName.UnitTests;

/// <summary>The reason codes on the wire and the one mapping from reasons to gRPC statuses.</summary>
public sealed class ReasonCodeTests
{
    [Theory]
    [InlineData(ReasonCode.DocumentExpired, "DOCUMENT_EXPIRED")]
    [InlineData(ReasonCode.InvalidCheckDigit, "INVALID_CHECK_DIGIT")]
    [InlineData(ReasonCode.IdentityLimitExceeded, "IDENTITY_LIMIT_EXCEEDED")]
    [InlineData(ReasonCode.NoReReviewPending, "NO_RE_REVIEW_PENDING")]
    [InlineData(ReasonCode.IotNotApproved, "IOT_NOT_APPROVED")]
    [InlineData(ReasonCode.NumberNotRegistered, "NUMBER_NOT_REGISTERED")]
    [InlineData(ReasonCode.UnsupportedDocumentType, "UNSUPPORTED_DOCUMENT_TYPE")]
    [InlineData(ReasonCode.ControlCharacter, "CONTROL_CHARACTER")]
    [InlineData(ReasonCode.OutOfRange, "OUT_OF_RANGE")]
    public void Wire_strings_stay_as_clients_know_them_and_parse_back(ReasonCode code, string wire)
    {
        Assert.Equal(wire, code.Wire());
        Assert.True(ReasonCodes.TryParse(wire, out var parsed));
        Assert.Equal(code, parsed);
        Assert.Equal(code, WireReasons.Parse(wire));
    }

    [Fact]
    public void Every_refusal_code_the_grains_send_is_a_reason_of_the_rule_book()
    {
        var constants = typeof(RefusalCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToList();

        Assert.NotEmpty(constants);
        Assert.All(constants, field => Assert.True(ReasonCodes.TryParse((string)field.GetRawConstantValue()!, out _), $"RefusalCodes.{field.Name} has no ReasonCode member"));
        Assert.Equal(ReasonCodes.All.Count, ReasonCodes.All.Select(c => c.Wire()).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData(ReasonKind.Malformed, Code.InvalidArgument)]
    [InlineData(ReasonKind.Refused, Code.FailedPrecondition)]
    [InlineData(ReasonKind.NotFound, Code.NotFound)]
    [InlineData(ReasonKind.Denied, Code.PermissionDenied)]
    [InlineData(ReasonKind.Exhausted, Code.ResourceExhausted)]
    [InlineData(ReasonKind.Unavailable, Code.Unavailable)]
    [InlineData(ReasonKind.Abandoned, Code.Cancelled)]
    public void Each_kind_of_reason_has_one_status(ReasonKind kind, Code status)
    {
        Assert.Equal(status, WireReasons.StatusOf(kind));
        Assert.All(ReasonCodes.All.Where(c => c.Kind() == kind), code => Assert.Equal(status, WireReasons.StatusOf(code.Wire())));
    }

    [Fact]
    public void Face_gate_reasons_outside_the_rule_book_are_refusals()
    {
        Assert.Null(WireReasons.Parse("NO_FACE"));
        Assert.Equal(Code.FailedPrecondition, WireReasons.StatusOf("NO_FACE"));
    }

    [Fact]
    public void A_refusal_reaches_the_client_with_its_status_reason_details_and_field()
    {
        var violation = IdentityLimits.CheckOneMore(5, 5)!;

        var error = GrpcErrors.Refused(Refusal.From(violation));

        Assert.Equal(Grpc.Core.StatusCode.FailedPrecondition, error.StatusCode);
        var info = error.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.Equal(("IDENTITY_LIMIT_EXCEEDED", "realname.v1"), (info.Reason, info.Domain));
        Assert.Equal(("5", "5", "customer"), (info.Metadata["held"], info.Metadata["limit"], info.Metadata["field"]));
    }

    [Fact]
    public void Malformed_input_is_INVALID_ARGUMENT_with_coded_field_violations_even_next_to_a_refusal()
    {
        var violations = new Violations();
        violations.Add(new RuleViolation(ReasonCode.DocumentExpired, "customer.document.valid_until", "the document expired on 2020-01-01"));
        violations.Add(PhoneNumbers.Check("12345"));

        var error = Assert.Throws<Grpc.Core.RpcException>(violations.ThrowIfAny);

        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, error.StatusCode);
        var status = error.GetRpcStatus()!;
        Assert.Equal("INVALID_PHONE_NUMBER", status.GetDetail<ErrorInfo>().Reason);
        Assert.Equal(
            ["DOCUMENT_EXPIRED: the document expired on 2020-01-01", "INVALID_PHONE_NUMBER: 11 digits starting with 1[3-9] are required"],
            status.GetDetail<BadRequest>().FieldViolations.Select(v => v.Description));
    }

    /// <summary>Found by buf curl against a running grid: request-shape violations (page sizes, limits, periods) all gave ErrorInfo INVALID_ARGUMENT.</summary>
    [Fact]
    public void Regression_the_ErrorInfo_reason_is_the_first_violations_code_whether_a_rule_or_a_request_shape_gave_it()
    {
        static string ReasonOf(Violations violations) => Assert.Throws<Grpc.Core.RpcException>(violations.ThrowIfAny).GetRpcStatus()!.GetDetail<ErrorInfo>().Reason;
        var shapeFirst = new Violations();
        shapeFirst.Add("page_size", "OUT_OF_RANGE: between 1 and 500");
        shapeFirst.Add(PhoneNumbers.Check("12345"));
        var ruleFirst = new Violations();
        ruleFirst.Add(PhoneNumbers.Check("12345"));
        ruleFirst.Add("to", "PERIOD_EMPTY: to must be after from");
        var uncoded = new Violations();
        uncoded.Add("note", "a description without a code");

        Assert.Equal("OUT_OF_RANGE", ReasonOf(shapeFirst));
        Assert.Equal("INVALID_PHONE_NUMBER", ReasonOf(ruleFirst));
        Assert.Equal("INVALID_ARGUMENT", ReasonOf(uncoded));
        Assert.Null(Violations.CodeOf("Required"));
        Assert.Null(Violations.CodeOf("OUT_OF RANGE"));
        Assert.Equal("REQUIRED", Violations.CodeOf("REQUIRED"));
        Assert.Equal("INVALID_CALLER_NAME", Violations.CodeOf("INVALID_CALLER_NAME: 1-64 letters"));
    }

    [Fact]
    public void A_well_formed_request_refused_by_a_rule_is_FAILED_PRECONDITION_as_from_a_grain()
    {
        var expired = new RuleViolation(ReasonCode.DocumentExpired, "customer.document.valid_until", "the document expired on 2020-01-01");
        var violations = new Violations();
        violations.Add(expired);

        var early = Assert.Throws<Grpc.Core.RpcException>(violations.ThrowIfAny);
        var authoritative = GrpcErrors.Refused(Refusal.From(expired));

        Assert.True(violations.OnlyRefusals);
        Assert.Equal(Grpc.Core.StatusCode.FailedPrecondition, early.StatusCode);
        Assert.Equal(authoritative.Status, early.Status);
        Assert.Equal(authoritative.GetRpcStatus(), early.GetRpcStatus());
    }
}
