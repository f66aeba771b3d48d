using JisuDai.Functions.Applications;
using JisuDai.Functions.Configuration;
using JisuDai.Functions.Diagnostics;
using JisuDai.Functions.Health;
using JisuDai.Functions.Notifications;
using JisuDai.Functions.Notifications.Sms;
using JisuDai.Functions.Risk;
using JisuDai.Functions.Security;
using JisuDai.Functions.Storage;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Customers;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Orchestrations.Approval;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Models;
using JisuDai.Risk.Rules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JisuDai.Functions.Composition;

/// <summary>
/// The app's services, registered once for both hosts: the Functions host calls this from its Program, the
/// standalone host calls it too, so what the functions depend on cannot drift between them.
/// </summary>
public static class JisuDaiServices
{
    public static IServiceCollection AddJisuDai(this IServiceCollection services, IConfiguration configuration)
    {
        StorageAccount storage = StorageAccount.FromConfiguration(configuration);
        CosmosAccount? cosmos = CosmosAccount.FromConfiguration(configuration);

        services.AddSingleton(TimeProvider.System);
        // Answers name their enums ("Principal", not 3), as the stored documents and the statuses do; both hosts write IActionResults with these.
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => o.JsonSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        // Resolved on first use, so tools that compose the app without serving HTTP need no signing key; both hosts
        // resolve it at start-up to fail fast on a missing or bad key.
        services.AddSingleton(_ => Tokens.FromConfiguration(configuration));
        services.AddSingleton(AppServiceAuthentication.FromConfiguration(configuration));
        services.AddSingleton<Authentication>();
        services.AddSingleton(_ => PersonalData.FromConfiguration(configuration));
        services.AddSingleton(storage);
        services.AddSingleton(storage.Tables);
        services.AddSingleton(storage.Queues);
        services.AddSingleton(storage.Blobs);
        services.AddSingleton(DiagnosticsOptions.FromConfiguration(configuration));
        services.AddSingleton<HealthProbe>();
        services.AddSingleton<SendRecords>();
        services.AddSingleton<NotificationQueue>();
        services.AddSingleton<OptOuts>();
        services.AddSingleton<RecipientDirectory>();
        services.AddSingleton(SmsSender(configuration, storage));
        services.AddSingleton(RiskOptions.FromConfiguration(configuration));
        services.AddSingleton<IModelRegistry>(sp => new BlobModelRegistry(storage.Blobs, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RiskModel>();
        services.AddHostedService<RiskModelRefresher>();
        services.AddSingleton(RiskRulesOptions.FromConfiguration(configuration));
        services.AddSingleton<IRuleSetStore>(sp => new BlobRuleSetStore(storage.Blobs, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RiskRules>();
        services.AddSingleton<IBlacklistStore>(sp => new TableBlacklist(storage.Tables, sp.GetRequiredService<PersonalData>()));
        services.AddSingleton<IVelocityStore>(sp => new TableVelocity(storage.Tables, sp.GetRequiredService<PersonalData>()));
        services.AddSingleton<CreditDecisions>();
        services.AddSingleton(ApprovalOptions.FromConfiguration(configuration));
        services.AddSingleton<ApplicationStore>();
        services.AddSingleton<ReviewQueue>();
        services.AddSingleton<PayoutSink>();
        services.AddSingleton<IPayouts>(sp => sp.GetRequiredService<PayoutSink>());
        services.AddSingleton<IApplicationDecider, ApplicationDecider>();
        services.AddSingleton<IApplicationRecorder, ApplicationRecorder>();
        services.AddSingleton<ILoanBooking, LoanBooking>();
        services.AddSingleton<IApplicantNotifier, ApplicantNotifier>();
        services.AddSingleton<Loans.OverdueSweep>();
        services.AddSingleton<Events.LoanEventOutbox>();
        services.AddSingleton<Loans.LoanChanges>();
        services.AddSingleton<Loans.WriteOffProposals>();
        services.AddSingleton(Loans.RepaymentOptions.FromConfiguration(configuration));
        services.AddSingleton<Loans.CollectionsQueue>();
        services.AddSingleton<Orchestrations.Repayment.IInstallmentFollowUp, Loans.InstallmentFollowUp>();
        AddEventPublishing(services, configuration);

        AddDocumentStore<Customer>(services, storage, cosmos);
        AddDocumentStore<LoanApplication>(services, storage, cosmos);
        AddDocumentStore<Loan>(services, storage, cosmos);
        AddDocumentStore<CreditDecision>(services, storage, cosmos);
        return services;
    }

    /// <summary>
    /// Azure Communication Services when configured (a connection string with its access key, or in Azure an endpoint
    /// reached with the managed identity), otherwise the local sink.
    /// </summary>
    static ISmsSender SmsSender(IConfiguration configuration, StorageAccount storage)
    {
        string? connectionString = configuration[AppSettings.SmsConnection] is { Length: > 0 } c ? c : null;
        string? endpoint = configuration[AppSettings.SmsEndpoint] is { Length: > 0 } e ? e : null;
        if (connectionString is null && endpoint is null)
        {
            return new RecordedMessages(storage, TimeProvider.System);
        }

        string from = configuration[AppSettings.SmsFrom] is { Length: > 0 } sender
            ? sender
            : throw new ConfigurationException(AppSettings.SmsFrom, $"is required with {(connectionString is null ? AppSettings.SmsEndpoint : AppSettings.SmsConnection)}: the number or sender id SMS come from.");
        if (connectionString is not null)
        {
            AcsConnection connection = AcsConnection.Parse(connectionString, AppSettings.SmsConnection);
            return new AcsSmsSender(AcsSmsSender.CreateClient(new AcsRequestSigning(connection, TimeProvider.System), TimeProvider.System), connection.Endpoint, from, TimeProvider.System);
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ConfigurationException(AppSettings.SmsEndpoint, "must be the https endpoint of the Communication Services resource.");
        }

        var authorization = new AcsEntraAuthorization(Credentials.FromConfiguration(configuration, AppSettings.SmsClientId));
        return new AcsSmsSender(AcsSmsSender.CreateClient(authorization, TimeProvider.System), uri, from, TimeProvider.System);
    }

    /// <summary>The outbox publisher, only where a Service Bus namespace is configured (Azure); reached with the managed identity.</summary>
    static void AddEventPublishing(IServiceCollection services, IConfiguration configuration)
    {
        if (configuration[AppSettings.EventsServiceBusNamespace] is not { Length: > 0 } ns)
        {
            return;
        }

        services.AddSingleton(_ => new Azure.Messaging.ServiceBus.ServiceBusClient(ns, Credentials.FromConfiguration(configuration, AppSettings.EventsClientId)));
        services.AddSingleton<Events.IEventPublisher>(sp => new Events.ServiceBusEventPublisher(
            sp.GetRequiredService<Azure.Messaging.ServiceBus.ServiceBusClient>().CreateSender(Events.ServiceBusEventPublisher.Topic)));
        services.AddSingleton<Events.EventPublishing>();
    }

    static void AddDocumentStore<T>(IServiceCollection services, StorageAccount storage, CosmosAccount? cosmos)
        where T : ICustomerDocument
    {
        string collection = DocumentKinds.CollectionOf<T>();
        if (cosmos is null)
        {
            services.AddSingleton<IDocumentStore<T>>(new TableDocumentStore<T>(storage.Tables, collection, DocumentKinds.TablesOf<T>()));
        }
        else
        {
            services.AddSingleton<IDocumentStore<T>>(_ => new CosmosDocumentStore<T>(CosmosContainers.Open(cosmos, collection)));
        }
    }
}
