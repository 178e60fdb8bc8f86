using DriverOffers.Server.Features.Auth;

namespace DriverOffers.Tests.Features.Auth;

public sealed class OfferLinksTests
{
    private static readonly OfferLinks Links = new("a-test-secret-of-at-least-32-bytes-long");
    private static readonly DateTime Expiry = new(2026, 12, 1, 8, 30, 15, DateTimeKind.Utc);

    [Fact]
    public void A_code_grants_its_offer_truck_and_expiry()
    {
        var code = Links.Issue(42, 107, Expiry);

        Assert.Equal(new OfferLinkGrant(42, 107, Expiry), Links.Read(code));
        Assert.Equal(new OfferLinkGrant(42, 107, Expiry), Links.Read($"  {code} "));
    }

    [Fact]
    public void A_code_is_38_url_safe_characters_and_keeps_its_expiry_to_the_second()
    {
        var code = Links.Issue(int.MaxValue, int.MaxValue, Expiry.AddTicks(9_999_999));

        Assert.Equal(38, code.Length);
        Assert.Matches("^[A-Za-z0-9_-]+$", code);
        Assert.Equal(Expiry, Links.Read(code)!.ExpiresAt);
        Assert.Equal(Expiry, OfferLinks.ExpiryOf(Expiry.AddTicks(9_999_999)));
    }

    [Fact]
    public void Codes_differ_by_offer_and_by_truck()
    {
        var codes = new[] { Links.Issue(1, 2, Expiry), Links.Issue(2, 1, Expiry), Links.Issue(1, 3, Expiry), Links.Issue(1, 2, Expiry.AddSeconds(1)) };

        Assert.Equal(codes.Length, codes.Distinct().Count());
    }

    [Fact]
    public void Changing_any_character_of_a_code_makes_it_grant_nothing()
    {
        var code = Links.Issue(42, 107, Expiry);

        for (var i = 0; i < code.Length; i++)
        {
            var changed = code[..i] + (code[i] == 'x' ? 'y' : 'x') + code[(i + 1)..];
            Assert.Null(Links.Read(changed));
        }
    }

    [Fact]
    public void Another_secret_neither_reads_nor_makes_this_servers_codes()
    {
        var other = new OfferLinks("another-secret-of-at-least-32-bytes-long!");

        Assert.Null(other.Read(Links.Issue(42, 107, Expiry)));
        Assert.Null(Links.Read(other.Issue(42, 107, Expiry)));
    }

    [Fact]
    public void Codes_made_and_read_on_many_threads_at_once_each_grant_their_own_pair()
    {
        var grants = new OfferLinkGrant?[2000];

        Parallel.For(0, grants.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => grants[i] = Links.Read(Links.Issue(i, i + 1, Expiry)));

        Assert.All(Enumerable.Range(0, grants.Length), i => Assert.Equal(new OfferLinkGrant(i, i + 1, Expiry), grants[i]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Anything_that_is_not_a_signed_code_grants_nothing(string code)
    {
        Assert.Null(Links.Read(code));
    }
}
