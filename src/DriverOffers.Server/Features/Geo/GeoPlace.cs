namespace DriverOffers.Server.Features.Geo;

/// <summary>A US city (Zip null) or ZIP code (centroid) from the gazetteer.</summary>
public sealed record GeoPlace(string City, string State, string? Zip, double Lat, double Lon, int Population)
{
    public string Label => Zip is null ? $"{City}, {State}" : $"{City}, {State} {Zip}";
    public bool IsZip => Zip is not null;
}
