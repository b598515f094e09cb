using Amazon.Runtime;
using AztecInfra.Keys;
using AztecInfra.Stages;

namespace AztecInfra.Cli;

/// <summary>A mistake in how the command was called, found after parsing: exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// The one mapping from outcome to exit code, for every verb: 0 ok, 1 refused or failed, 2 usage. Known
/// failures print their message only, never a stack trace (a trace can quote values).
/// </summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    /// <summary>The exit code and the operator-facing message for a failure.</summary>
    public static (int Code, string Message) For(Exception exception) => exception switch
    {
        UsageException e => (Usage, e.Message),
        UnknownNodeException e => (Usage, e.Message),
        ConfigValidationException e => (Failed, e.Message),
        SecretExistsException e => (Failed, $"{e.Message}; give --force to replace it{(e.Consequence is null ? string.Empty : $" ({e.Consequence})")}."),
        KeyOperationException e => (Failed, e.Message),
        AmazonServiceException e => (Failed, $"AWS refused the request ({e.ErrorCode}): {e.Message}"),
        AmazonClientException e => (Failed, $"Could not reach AWS: {e.Message}"),
        IOException e => (Failed, e.Message),
        UnauthorizedAccessException e => (Failed, e.Message),
        _ => (Failed, $"{exception.GetType().Name}: {FirstLine(exception.Message)}"),
    };

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd();
}
