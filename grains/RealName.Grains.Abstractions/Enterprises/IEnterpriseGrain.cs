namespace RealName.Grains.Enterprises;

/// <summary>An enterprise's IoT approval after risk assessment.</summary>
[Alias("RealName.Grains.Enterprises.IotApproval")]
[GenerateSerializer, Immutable]
public sealed record IotApproval(
    [property: Id(0)] int Quota,
    [property: Id(1)] string ApprovedBy,
    [property: Id(2)] string AssessmentReference,
    [property: Id(3)] DateTimeOffset ApprovedAt);

/// <summary>Answer to an IoT card reservation.</summary>
[Alias("RealName.Grains.Enterprises.IotReservation")]
public enum IotReservation
{
    Granted = 1,
    NotApproved = 2,
    QuotaExhausted = 3,
}

/// <summary>One enterprise (grain key: unified social credit code): its IoT approval, quota and cards.</summary>
[Alias("RealName.Grains.Enterprises.IEnterpriseGrain")]
public interface IEnterpriseGrain : IGrainWithStringKey
{
    Task ApproveIot(IotApproval approval);

    Task<IotApproval?> GetIotApproval();

    Task<IotReservation> ReserveIotCard(string phoneNumber);

    Task ReleaseCard(string phoneNumber);

    Task<int> IotCardsHeld();
}
