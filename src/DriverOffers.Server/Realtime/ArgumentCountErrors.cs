using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace DriverOffers.Server.Realtime;

/// <summary>
/// The JSON hub protocol, with a clear reason when a call has the wrong number of arguments. SignalR checks the count
/// while parsing the frame, before any hub filter runs, and answers "Failed to invoke 'x' due to an error on the server."
/// with the reason hidden, because it is not a <see cref="HubException"/> (only EnableDetailedErrors would show it, and
/// that shows every internal error too). Here the count failure becomes a HubException naming what the method takes;
/// SignalR appends a HubException's message to its answer. The wrong type or shape of the one argument is HubArgs' job,
/// except what the payload options refuse while the argument is parsed (a property given twice), which is named here.
/// </summary>
public sealed class ArgumentCountErrors(IHubProtocol inner) : IHubProtocol
{
    public string Name => inner.Name;

    public int Version => inner.Version;

    public TransferFormat TransferFormat => inner.TransferFormat;

    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var unread = input;
        if (!inner.TryParseMessage(ref input, binder, out message))
        {
            return false;
        }
        // An unknown method already fails with a HubException ("Method does not exist."), which SignalR shows.
        if (message is InvocationBindingFailureMessage { BindingFailure.SourceException: InvalidDataException invalid } failure)
        {
            // No argument at all (invoke("heartbeat")) is the empty object: what DESIGN.md names is the method, and a
            // method that needs nothing should not need "{}". Others then name the field they miss (HubArgs).
            if (invalid.InnerException is null && TakesOneArgument(binder, failure.Target) &&
                IsCallWithoutArguments(unread.Slice(0, unread.Length - input.Length), out var invocationId))
            {
                message = new InvocationMessage(invocationId, failure.Target, [HubArgs.EmptyObject]);
                return true;
            }
            // The argument's JSON refused by the payload options themselves (a property given twice) comes as the inner
            // exception; a wrong count has none.
            var reason = invalid.InnerException is System.Text.Json.JsonException json
                ? $"Wrong arguments: {Common.ErrorHandling.JsonMessage(json)}"
                : Expected(binder, failure.Target);
            message = new InvocationBindingFailureMessage(failure.InvocationId, failure.Target,
                ExceptionDispatchInfo.Capture(new HubException(reason)));
        }
        return true;
    }

    private static bool TakesOneArgument(IInvocationBinder binder, string method)
    {
        try
        {
            return binder.GetParameterTypes(method) is [var type] && type == typeof(System.Text.Json.JsonElement);
        }
        catch (HubException)
        {
            return false;
        }
    }

    /// <summary>
    /// The frame, if it is a plain invocation (type 1: not streaming, no stream ids) with an empty or missing
    /// <c>arguments</c>; its invocation id (null for a fire-and-forget send).
    /// </summary>
    private static bool IsCallWithoutArguments(ReadOnlySequence<byte> frame, out string? invocationId)
    {
        invocationId = null;
        try
        {
            var bytes = frame.ToArray();
            using var doc = System.Text.Json.JsonDocument.Parse(bytes.AsMemory(0, bytes.Length - (bytes[^1] == 0x1e ? 1 : 0)));
            var root = doc.RootElement;
            if (!root.TryGetProperty("type", out var type) || type.GetInt32() != HubProtocolConstants.InvocationMessageType ||
                root.TryGetProperty("streamIds", out _))
            {
                return false;
            }
            if (root.TryGetProperty("arguments", out var args) && (args.ValueKind != System.Text.Json.JsonValueKind.Array || args.GetArrayLength() != 0))
            {
                return false;
            }
            invocationId = root.TryGetProperty("invocationId", out var id) ? id.GetString() : null;
            return true;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            return false;
        }
    }

    private static string Expected(IInvocationBinder binder, string method)
    {
        var count = binder.GetParameterTypes(method).Count;
        return count == 1
            ? $"Wrong arguments: {method} takes exactly one argument, a JSON object ({{}} when there is nothing to say); see docs/protocol.md."
            : $"Wrong arguments: {method} takes {count} arguments; see docs/protocol.md.";
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);
}
