namespace RealName.Grains.Enterprises;

/// <summary>An enterprise's IoT approval after risk assessment.</summary>
[Alias("RealName.Grains.Enterprises.IotApproval")]
[GenerateSerializer, Immutable]
public sealed record IotApproval(
    [property: Id(0)] int Quota,
    [property: Id(1)] string ApprovedBy,
    [property: Id(2)] string AssessmentReference,
    [property: Id(3)] DateTimeOffset ApprovedAt);

/// <summary>One enterprise (grain key: unified social credit code): its IoT approval, quota and cards.</summary>
[Alias("RealName.Grains.Enterprises.IEnterpriseGrain")]
public interface IEnterpriseGrain : IGrainWithStringKey
{
    Task ApproveIot(IotApproval approval);

    Task<IotApproval?> GetIotApproval();

    /// <summary>Takes a place for the card under the approval (null), or the rule book's refusal (no approval, quota used up).</summary>
    Task<Subscribers.Refusal?> ReserveIotCard(string phoneNumber);

    Task ReleaseCard(string phoneNumber);

    Task<int> IotCardsHeld();
}
