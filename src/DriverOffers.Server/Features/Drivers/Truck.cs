namespace DriverOffers.Server.Features.Drivers;

/// <summary>One truck and its driver, from the legacy <c>Trucks</c> table. Read-only for this product.</summary>
public sealed class Truck
{
    private Truck() { }

    public Truck(int id, string truckNumber, string status, string driverName, string? cellPhone, string? cityStateZip,
        string? dimensions, string? rate, string? mail, decimal? latitude, decimal? longitude, int? assignedDispatcherId,
        bool isActive, DateTime updatedAt)
    {
        Id = id;
        TruckNumber = truckNumber;
        Status = status;
        DriverName = driverName;
        CellPhone = cellPhone;
        CityStateZip = cityStateZip;
        Dimensions = dimensions;
        Rate = rate;
        Mail = mail;
        Latitude = latitude;
        Longitude = longitude;
        AssignedDispatcherId = assignedDispatcherId;
        IsActive = isActive;
        UpdatedAt = updatedAt;
    }

    public int Id { get; private set; }
    public string? TruckNumber { get; private set; }
    public string? Status { get; private set; }
    public string? DriverName { get; private set; }
    public string? CellPhone { get; private set; }
    public string? CityStateZip { get; private set; }
    public string? Dimensions { get; private set; }
    public string? Rate { get; private set; }
    public string? Mail { get; private set; }
    public decimal? Latitude { get; private set; }
    public decimal? Longitude { get; private set; }
    public int? AssignedDispatcherId { get; private set; }
    public bool IsActive { get; private set; }
    public DateTime? UpdatedAt { get; private set; }
}
