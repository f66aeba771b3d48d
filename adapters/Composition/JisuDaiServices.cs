using JisuDai.Adapters.Applications;
using JisuDai.Adapters.Behaviour;
using JisuDai.Adapters.Bureau;
using JisuDai.Adapters.Configuration;
using JisuDai.Adapters.Events;
using JisuDai.Adapters.Files;
using JisuDai.Adapters.Loans;
using JisuDai.Adapters.Notifications;
using JisuDai.Adapters.Notifications.Email;
using JisuDai.Adapters.Notifications.Sms;
using JisuDai.Adapters.Payments;
using JisuDai.Adapters.Payments.WeChatPay;
using JisuDai.Adapters.Products;
using JisuDai.Adapters.Risk;
using JisuDai.Adapters.Security;
using JisuDai.Adapters.Staff;
using JisuDai.Adapters.Storage;
using JisuDai.App.Applications;
using JisuDai.App.Behaviour;
using JisuDai.App.Bureau;
using JisuDai.App.Configuration;
using JisuDai.App.Events;
using JisuDai.App.Files;
using JisuDai.App.Identity;
using JisuDai.App.Loans;
using JisuDai.App.Notifications;
using JisuDai.App.Payments;
using JisuDai.App.Products;
using JisuDai.App.Risk;
using JisuDai.App.Security;
using JisuDai.App.Staff;
using JisuDai.Lending.Applications;
using JisuDai.Lending.Customers;
using JisuDai.Lending.Documents;
using JisuDai.Lending.Loans;
using JisuDai.Lending.Payments;
using JisuDai.Risk.Checks;
using JisuDai.Risk.Decisions;
using JisuDai.Risk.Models;
using JisuDai.Risk.Rules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JisuDai.Adapters.Composition;

/// <summary>
/// The app's services over their Azure adapters, registered once for both hosts and the CLI: the Functions host and the
/// standalone host call this (through <c>AddJisuDaiFunctions</c>, which adds the HTTP side), the CLI calls it to read
/// the stores the app writes, so what the use cases depend on cannot drift between them.
/// </summary>
public static class JisuDaiServices
{
    public static IServiceCollection AddJisuDai(this IServiceCollection services, IConfiguration configuration)
    {
        StorageAccount storage = StorageAccount.FromConfiguration(configuration);
        CosmosAccount? cosmos = CosmosAccount.FromConfiguration(configuration);

        services.AddSingleton(TimeProvider.System);
        // Resolved on first use, so tools that compose the app without serving HTTP need no signing key; both hosts
        // resolve it at start-up to fail fast on a missing or bad key.
        services.AddSingleton(_ => Tokens.FromConfiguration(configuration));
        services.AddSingleton<ICustomerTokens>(sp => sp.GetRequiredService<Tokens>());
        services.AddSingleton<SignInDesk>();
        services.AddSingleton<CustomerDesk>();
        services.AddSingleton<IRealNameCheck>(sp => configuration[AppSettings.RealNameSecretId] is { Length: > 0 } secretId && configuration[AppSettings.RealNameSecretKey] is { Length: > 0 } secretKey
            ? new Adapters.Identity.TencentRealNameCheck(new HttpClient { Timeout = TimeSpan.FromSeconds(15) },
                new Uri(configuration[AppSettings.RealNameBaseUrl] is { Length: > 0 } url ? url : "https://faceid.tencentcloudapi.com/"), secretId, secretKey, sp.GetRequiredService<TimeProvider>())
            : new Adapters.Identity.UnconfiguredRealNameCheck());
        services.AddSingleton<IKeyWrapper>(sp => (IKeyWrapper?)KeyVaultKeys.FromConfiguration(configuration, sp.GetRequiredService<TimeProvider>()) ?? new UnconfiguredKeyWrapper());
        services.AddSingleton<IDataKeyStore>(_ => new TableDataKeys(storage.Tables));
        services.AddSingleton(sp => PersonalData.FromConfiguration(configuration, sp.GetRequiredService<IDataKeyStore>(), sp.GetRequiredService<IKeyWrapper>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<DataKeyRotation>();
        services.AddSingleton<PersonalDataMigration>();
        services.AddSingleton<App.Privacy.CustomerErasure>();
        services.AddSingleton(App.Privacy.RetentionPeriods.FromConfiguration(configuration));
        services.AddSingleton<App.Privacy.RetentionRun>();
        services.AddSingleton<App.Privacy.CustomerExport>();
        services.AddSingleton<IStaffPower, App.Privacy.CustomerDataExportPower>();
        services.AddSingleton(storage);
        services.AddSingleton(storage.Tables);
        services.AddSingleton(storage.Queues);
        services.AddSingleton(storage.Blobs);
        services.AddSingleton<ISendRecords, SendRecords>();
        services.AddSingleton<INotificationQueue, StorageNotificationQueue>();
        services.AddSingleton<NotificationPublisher>();
        services.AddSingleton<NotificationDelivery>();
        services.AddSingleton<IOptOuts, OptOuts>();
        services.AddSingleton<RecipientDirectory>();
        // Built now, so a bad SMS setting stops the host at start; the local sink keeps the clock the host was given.
        if (SmsSender(configuration) is { } provider)
        {
            services.AddSingleton(provider);
        }
        else
        {
            services.AddSingleton<ISmsSender>(sp => new RecordedMessages(storage, sp.GetRequiredService<TimeProvider>()));
        }

        if (EmailSender(configuration) is { } emailProvider)
        {
            services.AddSingleton(emailProvider);
        }
        else
        {
            services.AddSingleton<IEmailSender>(sp => new RecordedMessages(storage, sp.GetRequiredService<TimeProvider>()));
        }
        services.AddSingleton(RiskOptions.FromConfiguration(configuration));
        services.AddSingleton<IModelRegistry>(sp => new BlobModelRegistry(storage.Blobs, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RiskModel>();
        services.AddHostedService<RiskModelRefresher>();
        services.AddSingleton(RiskRulesOptions.FromConfiguration(configuration));
        services.AddSingleton<IRuleSetStore>(sp => new BlobRuleSetStore(storage.Blobs, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<RiskRules>();
        services.AddSingleton<IBlacklistStore>(sp => new TableBlacklist(storage.Tables, sp.GetRequiredService<PersonalData>()));
        services.AddSingleton<IVelocityStore>(sp => new TableVelocity(storage.Tables, sp.GetRequiredService<PersonalData>()));
        services.AddSingleton<IBehaviourEvents>(_ => new TableBehaviourEvents(storage.Tables));
        services.AddSingleton<DeviceSightings>();
        services.AddSingleton<BehaviourDesk>();
        services.AddSingleton<BehaviourProfiles>();
        services.AddSingleton<ICreditBureau>(sp => configuration[AppSettings.BureauBaseUrl] is { Length: > 0 } bureauUrl
            && configuration[AppSettings.BureauMemberId] is { Length: > 0 } memberId && configuration[AppSettings.BureauSecretKey] is { Length: > 0 } bureauSecret
            ? new HttpCreditBureau(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, new Uri(bureauUrl.EndsWith('/') ? bureauUrl : bureauUrl + "/"), memberId, bureauSecret,
                sp.GetRequiredService<TimeProvider>())
            : new UnconfiguredCreditBureau());
        services.AddSingleton(sp => new CreditReports(sp.GetRequiredService<IDocumentStore<BureauInquiry>>(), sp.GetRequiredService<ICreditBureau>(),
            TimeSpan.FromDays(Durations.WholeDays(configuration, AppSettings.BureauCacheDays, 30)), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<CreditReports>>()));
        services.AddSingleton<IFileBlobs>(_ => new BlobFileStore(storage.Blobs));
        services.AddSingleton<IFileCheckQueue>(_ => new StorageFileCheckQueue(storage));
        services.AddSingleton<IFileInspector, SkiaFileInspector>();
        services.AddSingleton<FileDesk>();
        services.AddSingleton<FileCheck>();
        services.AddSingleton<IProductStore>(new BlobProductStore(storage.Blobs));
        services.AddSingleton<LoanProducts>();
        services.AddSingleton<ProductDesk>();
        services.AddSingleton<IStaffPower, ProductPublicationPower>();
        services.AddSingleton<CreditDecisions>();
        services.AddSingleton(ApprovalOptions.FromConfiguration(configuration));
        services.AddSingleton<ApplicationStore>();
        services.AddSingleton<IReviewQueue, TableReviewQueue>();
        // The provider is reached on first use, so tools and tests that never move money need no merchant keys.
        services.AddSingleton(_ => ProviderConfiguration.AccountFrom(configuration));
        services.AddSingleton<IPaymentProvider>(sp => new WeChatPayProvider(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(30) },
            sp.GetRequiredService<MerchantAccount>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(ProviderConfiguration.PayoutWaitFrom(configuration));
        services.AddSingleton<ProviderPayouts>();
        services.AddSingleton<IPayouts>(sp => sp.GetRequiredService<ProviderPayouts>());
        services.AddSingleton<IPayoutReports>(sp => sp.GetRequiredService<ProviderPayouts>());
        services.AddSingleton<IPaymentNoticeLog>(sp => new TablePaymentNoticeLog(storage.Tables, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(new PaymentSettings(TakesDebitAgreements: configuration[AppSettings.PaymentsDebitPlanId] is { Length: > 0 }));
        services.AddSingleton<DebitDesk>();
        services.AddSingleton<RefundDesk>();
        services.AddSingleton<PaymentDesk>();
        services.AddSingleton<IReconciliationReports>(new BlobReconciliationReports(storage.Blobs));
        services.AddSingleton<ReconciliationDesk>();
        services.AddSingleton<IApplicationDecider, ApplicationDecider>();
        services.AddSingleton<IApplicationRecorder, ApplicationRecorder>();
        services.AddSingleton<IOfferRepricing, OfferRepricing>();
        TimeSpan decisionBudget = DecisionAtSubmission.BudgetFrom(configuration); // read now: a bad value stops the host at start
        services.AddSingleton(sp => new DecisionAtSubmission(sp.GetRequiredService<IApplicationDecider>(), decisionBudget,
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<DecisionAtSubmission>>()));
        services.AddSingleton<IIntakeLog>(new TableIntakeLog(storage.Tables));
        services.AddSingleton<IntakeSweep>();
        services.AddSingleton<ApplicationIntake>();
        services.AddSingleton<ApplicationAnswers>();
        services.AddSingleton<ReviewDesk>();
        services.AddSingleton<LoanServicing>();
        services.AddSingleton<RestructuringDesk>();
        services.AddSingleton<WriteOffDesk>();
        services.AddSingleton<RiskScoring>();
        services.AddSingleton<DecisionDesk>();
        services.AddSingleton<RuleSetDesk>();
        services.AddSingleton<BlacklistDesk>();
        services.AddSingleton<IStaffPower, RestructuringPower>();
        services.AddSingleton<IStaffPower, WriteOffApprovalPower>();
        services.AddSingleton<IStaffPower, RuleSetPublicationPower>();
        services.AddSingleton<IStaffPower, RuleSetRollbackPower>();
        services.AddSingleton<IStaffPower, BlacklistRemovalPower>();
        services.AddSingleton<IStaffPower, OfflinePaymentPower>();
        services.AddSingleton<IStaffPower, OverApprovalPower>();
        services.AddSingleton<IStaffPower, ReconciliationResolutionPower>();
        services.AddSingleton<ModelDesk>();
        services.AddSingleton<ILendingHaltStore>(new BlobLendingHalt(storage.Blobs));
        services.AddSingleton<HaltDesk>();
        services.AddSingleton<IStaffPower, HaltLiftPower>();
        services.AddSingleton<IDailyCapStore>(new BlobDailyCaps(storage.Blobs));
        services.AddSingleton<IDailyTally>(new TableDailyTally(storage.Tables));
        services.AddSingleton<DailyCapDesk>();
        services.AddSingleton<IStaffPower, DailyCapsPower>();
        services.AddSingleton<IStaffPower, ModelPromotionPower>();
        services.AddSingleton<IStaffPower, ModelRollbackPower>();
        services.AddSingleton<IStaffPower, ModelChallengerPower>();
        services.AddSingleton<IStaffPower, RuleSetChallengerPower>();
        services.AddSingleton<FourEyes>();
        services.AddSingleton<ConflictOfInterest>();
        services.AddSingleton<IStaffPower, StaffIdentityPower>();
        IReadOnlyList<string> onCall = [.. App.Monitoring.MonitoringOptions.OnCallPhonesFrom(configuration), .. App.Monitoring.MonitoringOptions.OnCallEmailsFrom(configuration)];
        services.AddSingleton<IStaffAlerts>(sp => new OnCallAlerts(new TableStaffAlerts(storage.Tables), sp.GetRequiredService<NotificationPublisher>(), onCall,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<OnCallAlerts>>()));
        services.AddSingleton<AlertDesk>();
        services.AddSingleton<IAuditLog>(sp => new BlobAuditLog(storage.Blobs, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ILoanBooking, LoanBooking>();
        services.AddSingleton<IApplicantNotifier, ApplicantNotifier>();
        services.AddSingleton<ISweepProgress>(new TableSweepProgress(storage.Tables));
        services.AddSingleton<ISweepQuarantine>(new TableSweepQuarantine(storage.Tables));
        services.AddSingleton<OverdueSweep>();
        services.AddSingleton<App.Monitoring.IRiskMetrics>(new Risk.BlobRiskMetrics(storage.Blobs));
        services.AddSingleton(App.Monitoring.MonitoringOptions.ThresholdsFrom(configuration));
        services.AddSingleton<App.Monitoring.RiskMonitoring>();
        services.AddSingleton<App.Monitoring.MonitoringDesk>();
        string retrainingWindow = App.Monitoring.MonitoringOptions.RetrainingWindowFrom(configuration);
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<App.Monitoring.PlatformTraining>(sp, retrainingWindow));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<App.Risk.RuleSetBacktests>(sp, retrainingWindow));
        services.AddSingleton<ILoanEventOutbox>(new LoanEventOutbox(storage.Tables));
        services.AddSingleton<LoanChanges>();
        services.AddSingleton<IWriteOffProposalStore>(new BlobWriteOffProposals(storage.Blobs));
        services.AddSingleton<WriteOffProposals>();
        services.AddSingleton(RepaymentOptions.FromConfiguration(configuration));
        services.AddSingleton<ICollectionsQueue, CollectionsQueue>();
        services.AddSingleton<IInstallmentFollowUp, InstallmentFollowUp>();
        AddEventPublishing(services, configuration);

        AddDocumentStore<Customer>(services, storage, cosmos);
        AddDocumentStore<LoanApplication>(services, storage, cosmos);
        AddDocumentStore<Loan>(services, storage, cosmos);
        AddDocumentStore<CreditDecision>(services, storage, cosmos);
        AddDocumentStore<StaffRequest>(services, storage, cosmos);
        AddDocumentStore<Payment>(services, storage, cosmos);
        AddDocumentStore<DebitAgreement>(services, storage, cosmos);
        AddDocumentStore<PhoneSignIn>(services, storage, cosmos);
        AddDocumentStore<RefreshFamily>(services, storage, cosmos);
        AddDocumentStore<ResidentIdentity>(services, storage, cosmos);
        AddDocumentStore<CustomerFile>(services, storage, cosmos);
        AddDocumentStore<BureauInquiry>(services, storage, cosmos);
        AddDocumentStore<StaffIdentity>(services, storage, cosmos);
        AddDocumentStore<JisuDai.Risk.Outcomes.LoanOutcome>(services, storage, cosmos);
        return services;
    }

    /// <summary>
    /// Azure Communication Services when configured (a connection string with its access key, or in Azure an endpoint
    /// reached with the managed identity); null for the local sink.
    /// </summary>
    static ISmsSender? SmsSender(IConfiguration configuration)
    {
        if (configuration[AppSettings.SmsConnection] is not { Length: > 0 } && configuration[AppSettings.SmsEndpoint] is not { Length: > 0 })
        {
            return null;
        }

        string from = configuration[AppSettings.SmsFrom] is { Length: > 0 } sender
            ? sender
            : throw new ConfigurationException(AppSettings.SmsFrom, $"is required with {(configuration[AppSettings.SmsConnection] is { Length: > 0 } ? AppSettings.SmsConnection : AppSettings.SmsEndpoint)}: the number or sender id SMS come from.");
        (HttpClient http, Uri endpoint) = CommunicationServices(configuration)!.Value;
        return new AcsSmsSender(http, endpoint, from, TimeProvider.System);
    }

    /// <summary>
    /// Communication Services' Email where a sender address is configured, through the resource SMS use; null for the
    /// local sink.
    /// </summary>
    static IEmailSender? EmailSender(IConfiguration configuration)
    {
        if (configuration[AppSettings.EmailFrom] is not { Length: > 0 } from)
        {
            return null;
        }

        if (!App.Notifications.EmailAddress.IsValid(from))
        {
            throw new ConfigurationException(AppSettings.EmailFrom, "must be an email address of a domain verified on the Communication Services resource.");
        }

        (HttpClient http, Uri endpoint) = CommunicationServices(configuration)
            ?? throw new ConfigurationException(AppSettings.EmailFrom, $"needs the Communication Services resource: {AppSettings.SmsConnection}, or {AppSettings.SmsEndpoint} (https) in Azure.");
        return new AcsEmailSender(http, endpoint, from, TimeProvider.System);
    }

    /// <summary>
    /// The Communication Services resource SMS and email go through: its connection string (requests signed with the
    /// access key), else its https endpoint (the managed identity); null when neither is set. Each caller gets its own
    /// signed, retrying client.
    /// </summary>
    static (HttpClient Http, Uri Endpoint)? CommunicationServices(IConfiguration configuration)
    {
        if (configuration[AppSettings.SmsConnection] is { Length: > 0 } connectionString)
        {
            AcsConnection connection = AcsConnection.Parse(connectionString, AppSettings.SmsConnection);
            return (AcsSmsSender.CreateClient(new AcsRequestSigning(connection, TimeProvider.System), TimeProvider.System), connection.Endpoint);
        }

        if (configuration[AppSettings.SmsEndpoint] is not { Length: > 0 } endpoint)
        {
            return null;
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new ConfigurationException(AppSettings.SmsEndpoint, "must be the https endpoint of the Communication Services resource.");
        }

        var authorization = new AcsEntraAuthorization(Credentials.FromConfiguration(configuration, AppSettings.SmsClientId));
        return (AcsSmsSender.CreateClient(authorization, TimeProvider.System), uri);
    }

    /// <summary>The outbox publisher, only where a Service Bus namespace is configured (Azure); reached with the managed identity.</summary>
    static void AddEventPublishing(IServiceCollection services, IConfiguration configuration)
    {
        if (configuration[AppSettings.EventsServiceBusNamespace] is not { Length: > 0 } ns)
        {
            return;
        }

        services.AddSingleton(_ => new Azure.Messaging.ServiceBus.ServiceBusClient(ns, Credentials.FromConfiguration(configuration, AppSettings.EventsClientId)));
        services.AddSingleton<IEventPublisher>(sp => new ServiceBusEventPublisher(
            sp.GetRequiredService<Azure.Messaging.ServiceBus.ServiceBusClient>().CreateSender(ServiceBusEventPublisher.Topic)));
        services.AddSingleton<EventPublishing>();
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
