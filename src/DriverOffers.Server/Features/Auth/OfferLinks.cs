using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace DriverOffers.Server.Features.Auth;

/// <summary>What a valid offer-link code grants: signing in as one truck's driver, for one offer, until it expires.</summary>
public sealed record OfferLinkGrant(int OfferId, int TruckId, DateTime ExpiresAt);

/// <summary>
/// The codes in the links sent to invited drivers. A code carries its offer, truck and expiry and a MAC over them, so
/// sending an offer stores nothing for its links: a stored code per driver was a quarter of the rows a send to 1,000
/// drivers writes, on the path before any driver may be told (docs/decisions/090-signed-offer-links.md). That a code
/// works only once is kept on the invitation it belongs to (<c>offer_proposals.link_used_at</c>), set by the exchange.
/// The key is derived from <c>Auth:JwtSecret</c>: changing that secret ends every link still out, as it ends every token.
/// </summary>
public sealed class OfferLinks : IDisposable
{
    /// <summary>offer id, truck id, expiry (Unix seconds, unsigned), then the MAC: 38 URL-safe characters.</summary>
    private const int ClaimBytes = 12;
    private const int MacBytes = 16;
    public const int CodeBytes = ClaimBytes + MacBytes;

    /// <summary>One keyed HMAC per thread, reset after each code: the one-shot HMAC set the key up again for every code,
    /// twice as slow (a send signs 1,000 codes before any driver may be told).</summary>
    private readonly ThreadLocal<IncrementalHash> _hmac;

    public OfferLinks(string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        // A key of its own, so a link's MAC can never stand in for a token's signature or the other way round.
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, info: "driver-offers offer link v1"u8.ToArray());
        _hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key));
    }

    /// <summary>The code for <paramref name="truckId"/>'s link to <paramref name="offerId"/>; the expiry is kept to the
    /// whole second, as the code holds it (see <see cref="ExpiryOf"/>).</summary>
    public string Issue(int offerId, int truckId, DateTime expiresAt)
    {
        Span<byte> code = stackalloc byte[CodeBytes];
        BinaryPrimitives.WriteInt32BigEndian(code, offerId);
        BinaryPrimitives.WriteInt32BigEndian(code[4..], truckId);
        BinaryPrimitives.WriteUInt32BigEndian(code[8..], UnixSeconds(expiresAt));
        Mac(code[..ClaimBytes], code[ClaimBytes..]);
        return Base64Url.EncodeToString(code);
    }

    /// <summary>The expiry a code issued for <paramref name="expiresAt"/> carries.</summary>
    public static DateTime ExpiryOf(DateTime expiresAt) => DateTime.UnixEpoch.AddSeconds(UnixSeconds(expiresAt));

    /// <summary>
    /// What <paramref name="code"/> grants if this server signed it (expired or not: the caller checks the time), else
    /// null. Anything can arrive here, so only a well-formed code of the right length is decoded, and the MAC is compared
    /// in constant time.
    /// </summary>
    public OfferLinkGrant? Read(string code)
    {
        var text = code.Trim();
        Span<byte> bytes = stackalloc byte[CodeBytes];
        if (!Base64Url.IsValid(text, out var length) || length != CodeBytes
            || !Base64Url.TryDecodeFromChars(text, bytes, out var written) || written != CodeBytes)
        {
            return null;
        }
        Span<byte> expected = stackalloc byte[MacBytes];
        Mac(bytes[..ClaimBytes], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes[ClaimBytes..]))
        {
            return null;
        }
        return new OfferLinkGrant(BinaryPrimitives.ReadInt32BigEndian(bytes), BinaryPrimitives.ReadInt32BigEndian(bytes[4..]),
            DateTime.UnixEpoch.AddSeconds(BinaryPrimitives.ReadUInt32BigEndian(bytes[8..])));
    }

    private void Mac(ReadOnlySpan<byte> claim, Span<byte> mac)
    {
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var hmac = _hmac.Value!;
        hmac.AppendData(claim);
        hmac.GetHashAndReset(full);
        full[..MacBytes].CopyTo(mac);
    }

    /// <summary>Drops the per-thread HMACs; their native state goes with their finalizers.</summary>
    public void Dispose() => _hmac.Dispose();

    private static uint UnixSeconds(DateTime at)
    {
        // Whole ticks, not TotalSeconds: a double can't hold today's seconds to the tick and rounds a second up.
        var seconds = (at.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
        return (uint)Math.Clamp(seconds, 0, uint.MaxValue);
    }
}
