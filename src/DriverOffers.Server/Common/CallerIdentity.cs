using System.Globalization;
using System.Security.Claims;

namespace DriverOffers.Server.Common;

/// <summary>
/// A validated caller's identity, holding the <see cref="Common.Caller"/> its token names: <see cref="Caller.From"/>
/// returns it without reading claims on every hub call, and a hub connection, which keeps its principal as long as it
/// is open, holds ~0.3 KB less than with three stored claims (their strings, list and arrays;
/// docs/decisions/089-connection-memory-sixth-pass.md). The claims (<c>sub</c>, <c>role</c>, <c>name</c>) are made when
/// asked for, with the same types, values and issuer as stored ones; claims added later are kept as usual.
/// </summary>
public sealed class CallerIdentity : ClaimsIdentity
{
    public CallerIdentity(Caller caller, string authenticationType)
        : base(authenticationType, Caller.NameClaim, Caller.RoleClaim) =>
        Caller = caller;

    public Caller Caller { get; }

    /// <summary>Names the token this identity was validated from (<c>RevokedToken.IdOf</c>), so a hub connection opened
    /// with it can be closed when it is signed out.</summary>
    public string? TokenId { get; init; }

    /// <summary>The <see cref="TokenId"/> of <paramref name="principal"/>'s token, if it has one.</summary>
    public static string? TokenIdOf(ClaimsPrincipal? principal) => (principal?.Identity as CallerIdentity)?.TokenId;

    public override IEnumerable<Claim> Claims => [.. Own(), .. base.Claims];

    /// <summary>A plain identity with the same claims: the base class would copy only the stored ones.</summary>
    public override ClaimsIdentity Clone() => new(Claims, AuthenticationType, NameClaimType, RoleClaimType);

    private IEnumerable<Claim> Own()
    {
        yield return Made(Caller.SubjectClaim, Caller.Id.ToString(CultureInfo.InvariantCulture));
        yield return Made(Caller.RoleClaim, Caller.Role);
        if (Caller.Name.Length > 0)
        {
            yield return Made(Caller.NameClaim, Caller.Name);
        }
    }

    private Claim Made(string type, string value) => new(type, value, ClaimValueTypes.String, DefaultIssuer, DefaultIssuer, this);
}
