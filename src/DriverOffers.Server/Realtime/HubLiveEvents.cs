using DriverOffers.Server.Features.Chat;

namespace DriverOffers.Server.Realtime;

// TODO(real-time issue): route each event to exactly the right groups. Until then nothing is pushed.
internal sealed class HubLiveEvents : ILiveEvents
{
    public Task OfferChanged(int offerId, bool created, CancellationToken ct = default) => Task.CompletedTask;
    public Task ProposalChanged(int proposalId, CancellationToken ct = default) => Task.CompletedTask;
    public Task MessageStored(MessageResponse message, CancellationToken ct = default) => Task.CompletedTask;
    public Task MessagesRead(MessageReadEvent read, CancellationToken ct = default) => Task.CompletedTask;
}
