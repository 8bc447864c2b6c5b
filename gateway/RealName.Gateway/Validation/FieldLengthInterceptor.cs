using Google.Protobuf;
using Google.Rpc;
using Grpc.Core.Interceptors;
using RealName.Rules;

namespace RealName.Gateway.Validation;

/// <summary>
/// Refuses a request with a string longer than the contract allows, or holding a control character
/// (<see cref="FieldLengths"/>), before its handler runs: INVALID_ARGUMENT, reason FIELD_TOO_LONG or
/// CONTROL_CHARACTER, with the field's path. Nothing is recorded.
/// </summary>
public sealed class FieldLengthInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(request);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(request);
        return continuation(request, responseStream, context);
    }

    private static void Check(object request)
    {
        if (request is IMessage message && FieldLengths.FirstProblem(message) is { } found)
        {
            var violation = new BadRequest.Types.FieldViolation { Field = found.Path, Description = $"{found.Reason.Wire()}: {found.Description}" };
            throw GrpcErrors.InvalidArgument([violation], found.Reason.Wire());
        }
    }
}
