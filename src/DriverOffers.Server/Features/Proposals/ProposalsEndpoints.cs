namespace DriverOffers.Server.Features.Proposals;

public static class ProposalsEndpoints
{
    public static void MapProposals(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Proposals").RequireAuthorization();
        api.MapGet("/offers/{id:int}/proposals", ListProposals.Handle);
        api.MapPut("/proposals/{id:int}/respond", RespondToProposal.Handle);
    }
}
