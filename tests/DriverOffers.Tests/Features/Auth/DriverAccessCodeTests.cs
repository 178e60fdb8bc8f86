using DriverOffers.Server.Features.Auth;

namespace DriverOffers.Tests.Features.Auth;

/// <summary>How link codes are made and stored, without a host.</summary>
public sealed class DriverAccessCodeTests
{
    private static readonly DateTime Now = new(2026, 11, 26, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_send_stores_its_link_codes_side_by_side_after_the_codes_of_earlier_offers()
    {
        var earlier = Enumerable.Range(1, 50).Select(t => DriverAccessCode.ForOfferLink(t, 9, TimeSpan.FromHours(1), Now).Code.CodeHash).ToList();
        var later = Enumerable.Range(1, 50).Select(t => DriverAccessCode.ForOfferLink(t, 300, TimeSpan.FromHours(1), Now).Code.CodeHash).ToList();

        Assert.All(later, h => Assert.StartsWith("0000012c", h, StringComparison.Ordinal));
        Assert.True(string.CompareOrdinal(earlier.Max(), later.Min()) < 0);
        Assert.Equal(100, earlier.Concat(later).Distinct().Count());
    }

    [Fact]
    public void A_link_code_is_found_by_its_stored_hash_and_nothing_else_is()
    {
        var (code, plain) = DriverAccessCode.ForOfferLink(107, 42, TimeSpan.FromHours(1), Now);

        Assert.Equal(code.CodeHash, DriverAccessCode.LinkHash(plain));
        Assert.Equal(code.CodeHash, DriverAccessCode.LinkHash($" {plain} "));
        Assert.NotEqual(code.CodeHash, DriverAccessCode.LinkHash(plain[..^1] + (plain[^1] == 'A' ? 'B' : 'A')));
        Assert.Equal(64, code.CodeHash.Length);
    }
}
