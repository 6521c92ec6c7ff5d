using Microsoft.AspNetCore.Identity;
using MirtLab.Worker.Store;

namespace MirtLab.Worker.Qa;

/// <summary>
/// Checks passwords for sign-in and for electronic signatures. Every failure is counted toward the lockout and
/// audited; the message shown never says which part was wrong.
/// </summary>
public sealed class QaAuthenticator(MirtLabStore store, TimeProvider time, ILogger<QaAuthenticator> logger)
{
    public const string SignInRefused = "Unknown user name or wrong password, or the account is locked or disabled.";

    public async Task<QaUser?> SignInAsync(string name, string password, string? remote, CancellationToken cancellationToken)
    {
        name = name.Trim();
        var user = name.Length == 0 ? null : await store.FindUserAsync(name, cancellationToken);
        // Verified even for an unknown, disabled or locked user: the time taken does not tell which.
        var verified = QaPasswords.Verify(user, password);
        string? why = user switch
        {
            null => "unknown user",
            { IsDisabled: true } => "account disabled",
            _ when user.IsLockedAt(time.GetUtcNow()) => "account locked",
            _ when verified == PasswordVerificationResult.Failed => "wrong password",
            _ => null,
        };
        if (why is not null)
        {
            // Only a wrong password of a usable account counts toward the lockout.
            var locked = await store.RecordAuthenticationFailureAsync(name, why == "wrong password" ? user!.Id : null, "sign-in", why, remote, cancellationToken);
            Log.SignInRefused(logger, name.Length > 64 ? name[..64] : name, remote, why);
            if (locked)
            {
                Log.AccountLocked(logger, user!.Name, QaSecurity.MaxFailedAttempts);
            }

            return null;
        }

        if (verified == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await store.RehashPasswordAsync(user!.Id, QaPasswords.Hash(password), cancellationToken);
        }

        await store.RecordSignInAsync(user!, remote, cancellationToken);
        Log.SignedIn(logger, user!.Name, user.Role, remote);
        return user;
    }

    /// <summary>Re-checks the signed-in user's password as an electronic signature. Returns the signer, or the reason it was refused.</summary>
    public async Task<(QaSigner? Signer, string? Error)> VerifySignatureAsync(long userId, string password, string? remote, CancellationToken cancellationToken)
    {
        var user = await store.GetUserAsync(userId, cancellationToken);
        if (user is null || user.IsDisabled)
        {
            return (null, "Your account is disabled.");
        }

        if (user.IsLockedAt(time.GetUtcNow()))
        {
            await store.RecordAuthenticationFailureAsync(user.Name, null, "signature", "account locked", remote, cancellationToken);
            Log.SignatureRefused(logger, user.Name, "account locked");
            return (null, "Your account is locked after too many wrong passwords; ask an administrator or wait 15 minutes.");
        }

        if (!string.Equals(user.Role, QaRoles.QaReviewer, StringComparison.Ordinal))
        {
            return (null, "Only a QA reviewer can sign decisions.");
        }

        if (QaPasswords.Verify(user, password) == PasswordVerificationResult.Failed)
        {
            var locked = await store.RecordAuthenticationFailureAsync(user.Name, user.Id, "signature", "wrong password", remote, cancellationToken);
            Log.SignatureRefused(logger, user.Name, "wrong password");
            if (locked)
            {
                Log.AccountLocked(logger, user.Name, QaSecurity.MaxFailedAttempts);
                return (null, "Wrong password. Your account is now locked after too many wrong passwords.");
            }

            return (null, "Wrong password: the decision was not signed.");
        }

        await store.ResetFailedAttemptsAsync(user.Id, cancellationToken);
        return (new QaSigner(user.Id, user.Name, user.DisplayName, user.Role), null);
    }
}
