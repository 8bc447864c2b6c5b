using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RealName.Storage.Reports;

public static class ReportServices
{
    /// <summary>The auditors' queries, on the data source that <see cref="StorageServices.AddRealNameStorage"/> registers.</summary>
    public static IServiceCollection AddAuditReports(this IServiceCollection services)
    {
        services.TryAddSingleton<AuditReports>();
        return services;
    }
}
