namespace DriverOffers.Server.Common;

/// <summary>
/// A business rule refused a state change (a final offer, a transition the lifecycle does not allow).
/// Entities throw it before changing anything; the API answers 409 with the message.
/// </summary>
public sealed class RuleViolationException(string message) : Exception(message)
{
}
