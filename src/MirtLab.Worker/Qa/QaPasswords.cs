using Microsoft.AspNetCore.Identity;

namespace MirtLab.Worker.Qa;

/// <summary>
/// Password hashing with ASP.NET Core's <see cref="PasswordHasher{TUser}"/> (v3: PBKDF2-HMAC-SHA512, 128-bit
/// salt, 100 000 iterations). A password is only ever held in memory to hash or verify it: never stored, logged
/// or audited.
/// </summary>
public static class QaPasswords
{
    private static readonly PasswordHasher<QaUser> Hasher = new();

    // Verified against when the user name is unknown, so that an unknown name costs the same time as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(new QaUser(), Guid.NewGuid().ToString("N"));

    public static string Hash(string password) => Hasher.HashPassword(new QaUser(), password);

    public static PasswordVerificationResult Verify(QaUser? user, string password)
    {
        if (user is null)
        {
            Hasher.VerifyHashedPassword(new QaUser(), DummyHash, password);
            return PasswordVerificationResult.Failed;
        }

        return Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
    }

    /// <summary>Why a new password is not acceptable, or null.</summary>
    public static string? Problem(string password, string userName)
    {
        if (password.Length < QaSecurity.MinPasswordLength)
        {
            return $"the password must have at least {QaSecurity.MinPasswordLength} characters";
        }

        if (password.Length > QaSecurity.MaxPasswordLength)
        {
            return $"the password must have at most {QaSecurity.MaxPasswordLength} characters";
        }

        if (password.Contains(userName, StringComparison.OrdinalIgnoreCase))
        {
            return "the password must not contain the user name";
        }

        if (password.Distinct().Count() < 5)
        {
            return "the password must use at least 5 different characters";
        }

        return null;
    }
}
