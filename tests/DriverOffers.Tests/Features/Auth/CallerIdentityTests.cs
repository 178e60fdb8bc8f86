using System.Security.Claims;
using DriverOffers.Server.Common;

namespace DriverOffers.Tests.Features.Auth;

/// <summary>The compact identity answers every claim question as an identity with the three claims stored would.</summary>
public sealed class CallerIdentityTests
{
    private static ClaimsPrincipal Stored(string sub, string role, string? name)
    {
        List<Claim> claims = [new(Caller.SubjectClaim, sub), new(Caller.RoleClaim, role)];
        if (name is not null)
        {
            claims.Add(new Claim(Caller.NameClaim, name));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test", Caller.NameClaim, Caller.RoleClaim));
    }

    [Theory]
    [InlineData("107", "driver", "Bench Driver 107")]
    [InlineData("3", "manager", "Mia Manager")]
    [InlineData("5", "dispatcher", null)]
    public void A_compact_principal_has_the_claims_name_and_roles_of_the_stored_one(string sub, string role, string? name)
    {
        var stored = Stored(sub, role, name);
        var compact = Caller.From(stored)!.ToPrincipal("test");

        Assert.IsType<CallerIdentity>(compact.Identity);
        Assert.Equal(stored.Claims.Select(c => (c.Type, c.Value, c.Issuer, c.ValueType)), compact.Claims.Select(c => (c.Type, c.Value, c.Issuer, c.ValueType)));
        Assert.All(compact.Claims, c => Assert.Same(compact.Identity, c.Subject));
        Assert.Equal(stored.Identity!.Name, compact.Identity!.Name);
        Assert.True(compact.Identity.IsAuthenticated);
        Assert.Equal("test", compact.Identity.AuthenticationType);
        Assert.True(compact.IsInRole(role));
        Assert.False(compact.IsInRole("admin"));
        Assert.Equal(sub, compact.FindFirstValue(Caller.SubjectClaim));
        Assert.Equal(Caller.From(stored), Caller.From(compact));
    }

    [Fact]
    public void A_clone_and_an_added_claim_keep_every_claim()
    {
        var compact = new Caller(12, "dispatcher", "Carl Banks").ToPrincipal("test");
        ((ClaimsIdentity)compact.Identity!).AddClaim(new Claim("extra", "1"));

        var clone = compact.Clone();

        Assert.Equal(["sub=12", "role=dispatcher", "name=Carl Banks", "extra=1"], clone.Claims.Select(c => $"{c.Type}={c.Value}"));
        Assert.Equal("Carl Banks", clone.Identity!.Name);
        Assert.True(clone.IsInRole("dispatcher"));
    }

    [Theory]
    [InlineData("x", "driver")]
    [InlineData("7", "Driver")]
    [InlineData("7", "owner")]
    public void Claims_that_name_no_known_caller_make_no_caller(string sub, string role)
    {
        Assert.Null(Caller.From(Stored(sub, role, "Someone")));
    }
}
