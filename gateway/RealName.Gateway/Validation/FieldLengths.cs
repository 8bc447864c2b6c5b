using Google.Protobuf;
using Google.Protobuf.Reflection;
using RealName.Contracts.V1;

namespace RealName.Gateway.Validation;

/// <summary>
/// The contract's <c>(realname.v1.max_length)</c> field option, enforced on a whole request message: every
/// string field, nested messages and repeated elements included. One walk of the message's descriptors, so a
/// field added to the contract is bounded by its annotation alone.
/// </summary>
public static class FieldLengths
{
    /// <summary>The first string value longer than its field allows, as (path, limit, length); null when all fit.</summary>
    public static (string Path, int Limit, int Length)? FirstTooLong(IMessage message, string prefix = "")
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var path = prefix + field.Name;
            var value = field.Accessor.GetValue(message);
            if (field.FieldType == FieldType.String && MaxLengthOf(field) is { } limit)
            {
                var values = field.IsRepeated ? ((System.Collections.IEnumerable)value).Cast<string>() : [(string)value];
                foreach (var (text, index) in values.Select((text, index) => (text, index)))
                {
                    if (text.Length > limit)
                    {
                        return (field.IsRepeated ? $"{path}[{index}]" : path, limit, text.Length);
                    }
                }
            }
            else if (field.FieldType == FieldType.Message && !field.IsMap)
            {
                var children = field.IsRepeated ? ((System.Collections.IEnumerable)value).Cast<IMessage>() : value is IMessage one ? [one] : [];
                foreach (var (child, index) in children.Select((child, index) => (child, index)))
                {
                    if (FirstTooLong(child, field.IsRepeated ? $"{path}[{index}]." : path + ".") is { } found)
                    {
                        return found;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>The field's declared maximum, or null when it has none.</summary>
    public static int? MaxLengthOf(FieldDescriptor field) =>
        field.GetOptions() is { } options && options.HasExtension(LimitsExtensions.MaxLength) ? options.GetExtension(LimitsExtensions.MaxLength) : null;
}
