using Google.Rpc;
using RealName.Gateway.Errors;

namespace RealName.Gateway.Validation;

/// <summary>Collects field violations for one request and throws them together as INVALID_ARGUMENT.</summary>
public sealed class Violations
{
    private readonly List<BadRequest.Types.FieldViolation> items = [];

    public int Count => items.Count;

    public void Add(string field, string description) =>
        items.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });

    public void ThrowIfAny()
    {
        if (items.Count > 0)
        {
            throw GrpcErrors.InvalidArgument(items);
        }
    }
}
