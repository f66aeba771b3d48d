using System.Security.Cryptography;
using System.Text;
using JisuDai.App.Notifications;
using JisuDai.App.Results;
using JisuDai.App.Security;
using JisuDai.Lending.Calendar;
using JisuDai.Lending.Customers;
using JisuDai.Lending.Documents;
using Microsoft.Extensions.Logging;

namespace JisuDai.App.Identity;

/// <summary>A code was sent: how long it is good for and when another may be asked for.</summary>
public sealed record CodeSent(int ExpiresInSeconds, int ResendAfterSeconds);

/// <summary>What signing in gives an app: a short-lived access token and the refresh token that renews it.</summary>
public sealed record SignedIn(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken, int RefreshExpiresIn, string CustomerId);

/// <summary>
/// Customers sign up and sign in with their mobile number and a 6-digit code sent to it by SMS. A code is good for 5
/// minutes and 5 tries; a number gets another code after 60 s and at most 10 a day; the fifth wrong code locks the
/// number for 30 minutes. The first sign-in of a number makes its customer. Signing in gives a 15-minute access token
/// and a refresh token good for 30 days from the sign-in, each refresh spending it for the next; presenting a spent one
/// revokes its whole family (a copy is loose), and so does logging out. Numbers are kept only as keyed fingerprints.
/// </summary>
public sealed class SignInDesk(
    IDocumentStore<PhoneSignIn> phones, IDocumentStore<RefreshFamily> families, IDocumentStore<Customer> customers,
    ISmsSender sms, ICustomerTokens tokens, PersonalData personalData, Staff.IDailyTally tally, Behaviour.BehaviourDesk behaviour, TimeProvider clock, ILogger<SignInDesk> logger)
{
    /// <summary>How long a code is good for.</summary>
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(5);

    /// <summary>How long before a number may be sent another code.</summary>
    public static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(60);

    /// <summary>How long a number is locked once its wrong tries run out.</summary>
    public static readonly TimeSpan LockFor = TimeSpan.FromMinutes(30);

    /// <summary>How long a refresh family lasts from its sign-in.</summary>
    public static readonly TimeSpan RefreshLifetime = TimeSpan.FromDays(30);

    /// <summary>Wrong codes a code takes before the number is locked.</summary>
    public const int MaxTries = 5;

    /// <summary>Codes a number is sent in one lender's day.</summary>
    public const int MaxCodesPerDay = 10;

    /// <summary>Codes sent in one lender's day at the asking of one network address (one address may stand for many people behind it).</summary>
    public const int MaxCodesPerAddressPerDay = 50;

    /// <summary>Sends a sign-in code to <paramref name="phone"/>, asked for from <paramref name="address"/> (the connection's, never one the caller states).</summary>
    public async Task<Result<CodeSent>> SendCodeAsync(string? phone, string? address, CancellationToken cancellationToken)
    {
        if (!IsMobile(phone))
        {
            return Result<CodeSent>.Invalid("phone", "phone must be a mainland mobile number as +861XXXXXXXXXX.");
        }

        if (!tokens.CanMint)
        {
            return Result<CodeSent>.NotReady("Customer sign-in is not configured here (no Auth:CustomerSigningKey).");
        }

        string id = personalData.Fingerprint("sign-in-phone", phone!);
        string ask = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)); // this request, counted once against its address however often it retries
        while (true)
        {
            DateTimeOffset now = clock.GetUtcNow();
            DateOnly today = LenderCalendar.DateOf(now);
            Versioned<PhoneSignIn>? found = await phones.FindAsync(id, id, cancellationToken);
            PhoneSignIn state = found?.Document ?? new PhoneSignIn(id);
            if (state.LockedUntil > now)
            {
                return Result<CodeSent>.TooMany("Too many wrong codes: this number is locked for a while.", state.LockedUntil.Value - now);
            }

            if (state.CodeSentAt is { } sent && now - sent < ResendAfter)
            {
                return Result<CodeSent>.TooMany("A code was just sent to this number; ask again shortly.", ResendAfter - (now - sent));
            }

            int sentToday = state.Day == today ? state.SentOnDay : 0;
            if (sentToday >= MaxCodesPerDay)
            {
                return Result<CodeSent>.TooMany($"This number has had {MaxCodesPerDay} codes today.", LenderCalendar.StartOf(today.AddDays(1)) - now);
            }

            if (address is { Length: > 0 } && !(await tally.TryCountAsync(today, "sign-in-codes", ask, 1m,
                    [new Staff.TallyLimit($"address|{personalData.Fingerprint("sign-in-address", address)}", MaxCodesPerAddressPerDay)], cancellationToken)).Counted)
            {
                return Result<CodeSent>.TooMany($"{MaxCodesPerAddressPerDay} codes were sent today at the asking of this network address.", LenderCalendar.StartOf(today.AddDays(1)) - now);
            }

            string code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            PhoneSignIn next = state with
            {
                CodeHash = CodeHash(id, code), CodeSentAt = now, CodeExpiresAt = now + CodeLifetime, WrongTries = 0, LockedUntil = null,
                Day = today, SentOnDay = sentToday + 1,
            };
            try
            {
                _ = found is null ? await phones.CreateAsync(next, cancellationToken) : await phones.ReplaceAsync(next, found.ETag, cancellationToken);
            }
            catch (Exception e) when (e is DocumentAlreadyExistsException or ConcurrencyConflictException)
            {
                continue; // another request for the number landed first: its limits apply to this one
            }

            // Sent after the code is stored, so a code that reaches the phone always works; one whose send failed just waits out its resend time.
            SmsSendResult result = await sms.SendAsync(new SmsMessage(phone!, $"【极速贷】验证码 {code}，{(int)CodeLifetime.TotalMinutes} 分钟内有效。请勿告诉他人。 Your JisuDai code is {code}.",
                $"sign-in-{id[..16]}-{now.ToUnixTimeSeconds()}"), cancellationToken);
            if (!result.Accepted)
            {
                logger.LogWarning("The sign-in code to {Phone} was refused by the SMS provider: {Error}", PhoneMask.Mask(phone!), result.Error);
                return Result<CodeSent>.NotReady("The code could not be sent just now; try again shortly.");
            }

            return Result<CodeSent>.Ok(new CodeSent((int)CodeLifetime.TotalSeconds, (int)ResendAfter.TotalSeconds));
        }
    }

    /// <summary>
    /// Exchanges <paramref name="phone"/> and <paramref name="code"/> for tokens, making the customer on a number's first
    /// sign-in; the sign-in is recorded as a behaviour event with <paramref name="device"/> and <paramref name="address"/> (the connection's).
    /// </summary>
    public async Task<Result<SignedIn>> SignInAsync(string? phone, string? code, string? device, string? address, CancellationToken cancellationToken)
    {
        var errors = new List<Lending.DomainError>();
        if (!IsMobile(phone))
        {
            errors.Add(new("phone", "mobile", "phone must be a mainland mobile number as +861XXXXXXXXXX."));
        }

        if (code is not { Length: 6 } || !code.All(char.IsAsciiDigit))
        {
            errors.Add(new("code", "six-digits", "code is the 6-digit code sent to the number."));
        }

        if (device is { Length: > 128 })
        {
            errors.Add(new("device", "length", "device is at most 128 characters."));
        }

        if (errors.Count > 0)
        {
            return Result<SignedIn>.Invalid(errors);
        }

        string id = personalData.Fingerprint("sign-in-phone", phone!);
        while (true)
        {
            DateTimeOffset now = clock.GetUtcNow();
            if (await phones.FindAsync(id, id, cancellationToken) is not { } found)
            {
                return Result<SignedIn>.Invalid("code", "No code was sent to this number; ask for one first.");
            }

            PhoneSignIn state = found.Document;
            if (state.LockedUntil > now)
            {
                return Result<SignedIn>.TooMany("Too many wrong codes: this number is locked for a while.", state.LockedUntil.Value - now);
            }

            if (state.CodeHash is null || state.CodeExpiresAt <= now)
            {
                return Result<SignedIn>.Invalid("code", "The code has expired or was used; ask for a new one.");
            }

            bool right = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(CodeHash(id, code!)), Encoding.ASCII.GetBytes(state.CodeHash));
            PhoneSignIn next = right
                ? state with { CodeHash = null, Customer = state.Customer ?? $"c{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10))}" }
                : state.WrongTries + 1 >= MaxTries
                    ? state with { CodeHash = null, WrongTries = state.WrongTries + 1, LockedUntil = now + LockFor }
                    : state with { WrongTries = state.WrongTries + 1 };
            try
            {
                await phones.ReplaceAsync(next, found.ETag, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                continue; // another try at once: this one is weighed after it
            }

            if (!right)
            {
                return next.LockedUntil is { } locked
                    ? Result<SignedIn>.TooMany($"{MaxTries} wrong codes: this number is locked for {LockFor.TotalMinutes:0} minutes.", locked - now)
                    : Result<SignedIn>.Invalid("code", $"The code is wrong ({MaxTries - next.WrongTries} tries left).");
            }

            if (state.Customer is null)
            {
                await customers.CreateAsync(new Customer(next.Customer!, now, PhoneFingerprint: id), cancellationToken);
                logger.LogInformation("Customer {Customer} signed up with {Phone}.", next.Customer, PhoneMask.Mask(phone!));
            }

            (string token, RefreshFamily family) = NewFamily(next.Customer!, device, now);
            await families.CreateAsync(family, cancellationToken);
            await behaviour.RecordSignInAsync(next.Customer!, $"sign-in-{family.Id}", device, address, now, cancellationToken);
            return Result<SignedIn>.Ok(Answer(family, token, now));
        }
    }

    /// <summary>Spends <paramref name="refreshToken"/> for a new pair; a spent one revokes its family.</summary>
    public async Task<Result<SignedIn>> RefreshAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        if (Parse(refreshToken) is not { } presented)
        {
            return Result<SignedIn>.Unauthenticated("The refresh token is not one this service issued.");
        }

        while (true)
        {
            DateTimeOffset now = clock.GetUtcNow();
            if (await families.FindAsync(presented.Customer, presented.Family, cancellationToken) is not { } found)
            {
                return Result<SignedIn>.Unauthenticated("The refresh token is not one this service issued.");
            }

            RefreshFamily family = found.Document;
            if (family.RevokedAt is not null || family.ExpiresAt <= now)
            {
                return Result<SignedIn>.Unauthenticated("The sign-in has ended; sign in again.");
            }

            bool current = presented.Generation == family.Generation
                && CryptographicOperations.FixedTimeEquals(Convert.FromHexString(SecretHash(presented.Secret)), Convert.FromHexString(family.SecretHash));
            if (!current)
            {
                // A token this family issued before, or a forged one: whoever holds the rest of the family cannot be trusted either.
                try
                {
                    await families.ReplaceAsync(family with { RevokedAt = now, RevokedFor = "reuse" }, found.ETag, cancellationToken);
                }
                catch (ConcurrencyConflictException)
                {
                    continue;
                }

                logger.LogWarning("A spent refresh token of customer {Customer} was presented; its sign-in {Family} is revoked.", family.CustomerId, family.Id);
                return Result<SignedIn>.Unauthenticated("The refresh token was already used; the sign-in is revoked. Sign in again.");
            }

            string secret = NewSecret();
            RefreshFamily next = family with { Generation = family.Generation + 1, SecretHash = SecretHash(secret) };
            try
            {
                await families.ReplaceAsync(next, found.ETag, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                continue; // a refresh at once: whichever lost sees a spent token next time round
            }

            return Result<SignedIn>.Ok(Answer(next, TokenOf(next, secret), now));
        }
    }

    /// <summary>Ends the sign-in <paramref name="refreshToken"/> belongs to (its access tokens run out within 15 minutes).</summary>
    public async Task<Result<string>> SignOutAsync(string? refreshToken, CancellationToken cancellationToken)
    {
        if (Parse(refreshToken) is not { } presented)
        {
            return Result<string>.Unauthenticated("The refresh token is not one this service issued.");
        }

        while (await families.FindAsync(presented.Customer, presented.Family, cancellationToken) is { } found)
        {
            if (found.Document.RevokedAt is not null)
            {
                return Result<string>.Ok("signed out");
            }

            try
            {
                await families.ReplaceAsync(found.Document with { RevokedAt = clock.GetUtcNow(), RevokedFor = "logout" }, found.ETag, cancellationToken);
                return Result<string>.Ok("signed out");
            }
            catch (ConcurrencyConflictException)
            {
                // changed meanwhile: look again
            }
        }

        return Result<string>.Unauthenticated("The refresh token is not one this service issued.");
    }

    static bool IsMobile(string? phone) => MobileNumber.IsValid(phone);

    string CodeHash(string phoneId, string code) => personalData.Fingerprint("sign-in-code", $"{phoneId}:{code}");

    static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    static string SecretHash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(secret)));

    static (string Token, RefreshFamily Family) NewFamily(string customerId, string? device, DateTimeOffset now)
    {
        string secret = NewSecret();
        var family = new RefreshFamily(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), customerId, 1, SecretHash(secret), now, now + RefreshLifetime, device);
        return (TokenOf(family, secret), family);
    }

    /// <summary>A refresh token: <c>rt1.{customer}.{family}.{generation}.{secret}</c>, opaque to apps.</summary>
    static string TokenOf(RefreshFamily family, string secret) => $"rt1.{family.CustomerId}.{family.Id}.{family.Generation}.{secret}";

    static (string Customer, string Family, int Generation, string Secret)? Parse(string? token)
    {
        string[] parts = token?.Split('.') ?? [];
        return parts is ["rt1", var customer, var family, var generation, var secret]
            && DocumentKey.IsValid(customer) && DocumentKey.IsValid(family) && int.TryParse(generation, out int g)
            && secret.Length == 64 && secret.All(char.IsAsciiHexDigitLower)
            ? (customer, family, g, secret)
            : null;
    }

    SignedIn Answer(RefreshFamily family, string refreshToken, DateTimeOffset now)
    {
        AccessToken access = tokens.Mint(family.CustomerId, now);
        return new SignedIn(access.Token, "Bearer", (int)access.Lifetime.TotalSeconds, refreshToken, (int)(family.ExpiresAt - now).TotalSeconds, family.CustomerId);
    }
}
