using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using RealName.Rules;

namespace RealName.Grains.Logging;

/// <summary>
/// The console log format of the silo and the gateway: the simple layout (level, category, event id, message,
/// exception), with every phone and ID number in the whole entry masked (<see cref="PersonalDataMasks.InText"/>).
/// It masks what our messages carry and also what they cannot control: grain ids ("subscriber/138…") inside
/// Orleans' messages and exceptions, at any level.
/// </summary>
public sealed class MaskedConsoleFormatter() : ConsoleFormatter(Name)
{
    public new const string Name = "realname-masked";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        var entry = $"{Level(logEntry.LogLevel)}: {logEntry.Category}[{logEntry.EventId.Id}]{Environment.NewLine}      {message}";
        if (logEntry.Exception is not null)
        {
            entry += Environment.NewLine + logEntry.Exception;
        }

        textWriter.WriteLine(PersonalDataMasks.InText(entry));
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}

public static class MaskedLogging
{
    /// <summary>Console logging through <see cref="MaskedConsoleFormatter"/> only.</summary>
    public static ILoggingBuilder AddMaskedConsole(this ILoggingBuilder logging)
    {
        logging.AddConsole(options => options.FormatterName = MaskedConsoleFormatter.Name);
        logging.AddConsoleFormatter<MaskedConsoleFormatter, ConsoleFormatterOptions>();
        return logging;
    }
}
