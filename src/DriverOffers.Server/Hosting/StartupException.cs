namespace DriverOffers.Server.Hosting;

/// <summary>
/// Something the operator set up wrong, found while starting: the message names the setting and what it allows, and
/// is all the log says (no stack trace: the trace of a configuration mistake is noise). <see cref="RunServer"/> logs it
/// and exits with code 1.
/// </summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
