using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DriverOffers.Server.Features.Auth;

public static class AccessCodePurpose
{
    /// <summary>A code inside the offer link sent to a driver.</summary>
    public const string OfferLink = "offer_link";
    /// <summary>A 6-digit code sent by SMS for phone sign-in.</summary>
    public const string Phone = "phone";
}

/// <summary>
/// A single-use, expiring sign-in code for one truck's driver. Only a hash is stored,
/// so a database leak does not hand out driver sessions.
/// </summary>
public sealed class DriverAccessCode
{
    private DriverAccessCode() { }

    public int Id { get; private set; }
    public int TruckId { get; private set; }
    public int? OfferId { get; private set; }
    public string Purpose { get; private set; } = AccessCodePurpose.OfferLink;
    public string CodeHash { get; private set; } = "";
    public string? Phone { get; private set; }
    public int Attempts { get; private set; }
    public DateTime ExpiresAt { get; private set; }
    public DateTime? UsedAt { get; private set; }
    public DateTime CreatedAt { get; private set; }

    /// <summary>A stored offer-link code, as links were made before they were signed (<see cref="OfferLinks"/>, decision
    /// 090); the exchange still honours those until they expire. Returns the entity and the plain code.</summary>
    internal static (DriverAccessCode Code, string Plain) ForOfferLink(int truckId, int offerId, TimeSpan lifetime, DateTime now)
    {
        // The offer id, then 20 random bytes (unguessable, so the link itself can be the first factor), URL-safe.
        Span<byte> bytes = stackalloc byte[LinkBytes];
        BinaryPrimitives.WriteInt32BigEndian(bytes, offerId);
        RandomNumberGenerator.Fill(bytes[4..]);
        var plain = Base64Url.EncodeToString(bytes);
        return (new DriverAccessCode
        {
            TruckId = truckId, OfferId = offerId, Purpose = AccessCodePurpose.OfferLink,
            CodeHash = LinkHash(offerId, plain), ExpiresAt = now + lifetime, CreatedAt = now,
        }, plain);
    }

    private const int LinkBytes = 24;

    /// <summary>
    /// What is stored of a link code: its offer id (8 hex digits), then 224 bits of its SHA-256. A bare hash put each of
    /// a send's 1,000 new codes on a different page of the code index, so storing them dirtied ~1,000 pages, the largest
    /// part of a send's insert and commit; with the offer first they share the index's last few pages. Codes made before
    /// (20 bytes, no offer id) are looked up by their bare hash.
    /// </summary>
    public static string LinkHash(string plain)
    {
        var trimmed = plain.Trim();
        Span<byte> bytes = stackalloc byte[LinkBytes];
        // Anything can arrive here: only a well-formed code of the current length is decoded (the decoder throws on
        // malformed input).
        return Base64Url.IsValid(trimmed, out var decoded) && decoded == LinkBytes
            && Base64Url.TryDecodeFromChars(trimmed, bytes, out var length) && length == LinkBytes
            ? LinkHash(BinaryPrimitives.ReadInt32BigEndian(bytes), trimmed)
            : Hash(trimmed);
    }

    private static string LinkHash(int offerId, string plain)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(plain), hash);
        Span<char> text = stackalloc char[64];
        offerId.TryFormat(text, out _, "x8", CultureInfo.InvariantCulture);
        Convert.TryToHexStringLower(hash[..28], text[8..], out _);
        return new string(text);
    }

    public static (DriverAccessCode Code, string Plain) ForPhone(int truckId, string phone, TimeSpan lifetime, DateTime now)
    {
        var plain = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6");
        return (new DriverAccessCode
        {
            TruckId = truckId, Purpose = AccessCodePurpose.Phone, Phone = phone,
            CodeHash = Hash(plain), ExpiresAt = now + lifetime, CreatedAt = now,
        }, plain);
    }

    public static string Hash(string plain) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plain.Trim())));

    public bool IsUsable(DateTime now, int maxAttempts) => UsedAt is null && ExpiresAt > now && Attempts < maxAttempts;

    /// <summary>Compares in constant time, so response timing says nothing about how close a guess was. Phone codes only:
    /// link codes are found by their <see cref="LinkHash"/>.</summary>
    public bool Matches(string plain) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(plain)), Encoding.ASCII.GetBytes(CodeHash));

    public void RecordFailedAttempt() => Attempts++;

    public void Use(DateTime now) => UsedAt = now;
}
