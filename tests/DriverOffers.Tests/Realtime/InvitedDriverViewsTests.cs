using DriverOffers.Server.Common;
using DriverOffers.Server.Features.Offers;
using DriverOffers.Server.Features.Proposals;
using DriverOffers.Server.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace DriverOffers.Tests.Realtime;

/// <summary>The shared serialization of a send's views must put exactly the plain view's bytes on the wire.</summary>
public sealed class InvitedDriverViewsTests
{
    private static readonly DateTime Now = new(2026, 11, 26, 8, 30, 15, 123, DateTimeKind.Utc);

    /// <summary>The hub's payload options as the server configures them (RealtimeSetup).</summary>
    private static readonly JsonHubProtocolOptions HubOptions = CreateHubOptions();

    private static JsonHubProtocolOptions CreateHubOptions()
    {
        var options = new JsonHubProtocolOptions();
        ApiJson.Configure(options.PayloadSerializerOptions);
        return options;
    }

    private static JsonHubProtocol Protocol() => new(Options.Create(HubOptions));

    private static OfferResponse View(int driverId, string notes = "Dock 4 — call \"Ann\" <first> & bring straps\n", decimal rate = 1850.50m) =>
        new(77, 18, "Rockford, IL", 42.27, -89.09, "Chicago, IL", 41.88, -87.63,
            Now.AddHours(2), Now.AddHours(4), null, Now.AddDays(1), 12000.5m, "48x40", 91.4m, rate, 20.25m,
            OfferStatus.Active, false, notes, false, Now.AddDays(2), null, null, null, false, Now.AddMinutes(-3), Now, 3,
            null, 0, new DispatcherContact(18, "Carl Banks", "+1 555 0100", null),
            new ProposalResponse(1000 + driverId, 77, driverId, ProposalStatus.Sent, null, null, null, null, null,
                Now.AddTicks(driverId), Now.AddTicks(driverId), OfferStatus.Active, false, 0, null));

    private static byte[] Wire(JsonHubProtocol protocol, OfferResponse view) =>
        protocol.GetMessageBytes(new InvocationMessage("offer_created", [view])).ToArray();

    [Fact]
    public void Every_driver_gets_the_bytes_of_their_plain_view()
    {
        var protocol = Protocol();
        var views = Enumerable.Range(1, 50).ToDictionary(id => id, id => View(id));

        var sent = InvitedDriverViews.Of(views).ToList();

        Assert.Equal(views.Keys, sent.Select(v => v.Key));
        Assert.All(sent, v => Assert.True(InvitedDriverViews.SharesBytes(v.Value, HubOptions.PayloadSerializerOptions)));
        Assert.All(sent, v => Assert.Equal(Wire(protocol, views[v.Key]), Wire(protocol, v.Value)));
    }

    [Fact]
    public void A_view_that_differs_beyond_its_proposal_is_sent_plain()
    {
        var protocol = Protocol();
        var views = new Dictionary<int, OfferResponse>
        {
            [1] = View(1),
            [2] = View(2, rate: 1900m),
            [3] = View(3) with { MyProposal = null },
            [4] = View(4, notes: "other notes"),
        };

        var sent = InvitedDriverViews.Of(views).ToDictionary();

        Assert.True(InvitedDriverViews.SharesBytes(sent[1], HubOptions.PayloadSerializerOptions));
        Assert.Same(views[2], sent[2]);
        Assert.Same(views[3], sent[3]);
        Assert.Same(views[4], sent[4]);
        Assert.All(sent, v => Assert.Equal(Wire(protocol, views[v.Key]), Wire(protocol, v.Value)));
    }

    [Fact]
    public void Other_serializer_options_get_their_own_bytes()
    {
        var camel = new JsonHubProtocol(Options.Create(new JsonHubProtocolOptions()));
        var snake = Protocol();
        var views = Enumerable.Range(1, 3).ToDictionary(id => id, id => View(id));

        var sent = InvitedDriverViews.Of(views).ToList();

        Assert.All(sent, v => Assert.Equal(Wire(snake, views[v.Key]), Wire(snake, v.Value)));
        Assert.All(sent, v => Assert.Equal(Wire(camel, views[v.Key]), Wire(camel, v.Value)));
        Assert.All(sent, v => Assert.Equal(Wire(snake, views[v.Key]), Wire(snake, v.Value)));
    }
}
