using Google.Protobuf;
using Google.Protobuf.Reflection;
using RealName.Contracts.V1;
using RealName.Rules;

namespace RealName.Gateway.Validation;

/// <summary>
/// The rules every string of a request obeys, whatever its field: the contract's <c>(realname.v1.max_length)</c>
/// option, and no control characters other than tab, line feed and carriage return (U+0000 cannot even be stored
/// in PostgreSQL text; the others hide in logs and audit rows). One walk of the message's descriptors, nested
/// messages and repeated elements included, so a field added to the contract is covered by its annotation alone.
/// </summary>
public static class FieldLengths
{
    /// <summary>
    /// The first string value, in one walk, that is longer than its field allows (FIELD_TOO_LONG) or holds a control
    /// character (CONTROL_CHARACTER), as (path, reason, description); null when every string is fine.
    /// </summary>
    public static (string Path, ReasonCode Reason, string Description)? FirstProblem(IMessage message)
    {
        foreach (var (path, field, text) in Strings(message, ""))
        {
            if (MaxLengthOf(field) is { } limit && text.Length > limit)
            {
                return (path, ReasonCode.FieldTooLong, $"at most {limit} characters, got {text.Length}");
            }

            if (text.Any(IsForbiddenControl))
            {
                return (path, ReasonCode.ControlCharacter, "control characters other than tab and line breaks are not allowed");
            }
        }

        return null;
    }

    /// <summary>The field's declared maximum, or null when it has none.</summary>
    public static int? MaxLengthOf(FieldDescriptor field) =>
        field.GetOptions() is { } options && options.HasExtension(LimitsExtensions.MaxLength) ? options.GetExtension(LimitsExtensions.MaxLength) : null;

    private static bool IsForbiddenControl(char c) => char.IsControl(c) && c is not ('\t' or '\n' or '\r');

    /// <summary>Every string value of the message, depth first in field-number order, with its path (e.g. <c>scope.carrier_ids[1]</c>).</summary>
    private static IEnumerable<(string Path, FieldDescriptor Field, string Text)> Strings(IMessage message, string prefix)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var path = prefix + field.Name;
            var value = field.Accessor.GetValue(message);
            if (field.FieldType == FieldType.String)
            {
                var values = field.IsRepeated ? ((System.Collections.IEnumerable)value).Cast<string>() : [(string)value];
                foreach (var (text, index) in values.Select((text, index) => (text, index)))
                {
                    yield return (field.IsRepeated ? $"{path}[{index}]" : path, field, text);
                }
            }
            else if (field.FieldType == FieldType.Message && !field.IsMap)
            {
                var children = field.IsRepeated ? ((System.Collections.IEnumerable)value).Cast<IMessage>() : value is IMessage one ? [one] : [];
                foreach (var (child, index) in children.Select((child, index) => (child, index)))
                {
                    foreach (var found in Strings(child, field.IsRepeated ? $"{path}[{index}]." : path + "."))
                    {
                        yield return found;
                    }
                }
            }
        }
    }
}
