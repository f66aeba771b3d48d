namespace JisuDai.App.Configuration;

/// <summary>
/// Every configuration key the app reads, ':'-separated (app settings and environment variables write them
/// with '__'). Code reads configuration only through these names; infra/modules/functionapp.bicep writes
/// exactly <see cref="InAzure"/>, and a test keeps the three lists equal.
/// </summary>
public static class AppSettings
{
    /// <summary>Storage connection string (local, emulators).</summary>
    public const string Storage = "AzureWebJobsStorage";

    /// <summary>Storage account name for identity-based connections (Azure).</summary>
    public const string StorageAccountName = "AzureWebJobsStorage:accountName";

    /// <summary>Client id of the user-assigned identity that reaches storage.</summary>
    public const string StorageClientId = "AzureWebJobsStorage:clientId";

    /// <summary>Cosmos DB endpoint; when unset, documents live in Table storage.</summary>
    public const string CosmosEndpoint = "Cosmos:AccountEndpoint";

    /// <summary>Cosmos DB key, for emulators only; Azure uses the managed identity.</summary>
    public const string CosmosKey = "Cosmos:AccountKey";

    /// <summary>Cosmos DB database name (default jisudai).</summary>
    public const string CosmosDatabase = "Cosmos:Database";

    /// <summary>Client id of the user-assigned identity that reaches Cosmos DB.</summary>
    public const string CosmosClientId = "Cosmos:clientId";

    /// <summary>CRON of the task-hub history purge (referenced as %PurgeHistorySchedule% by the timer).</summary>
    public const string PurgeHistorySchedule = "PurgeHistorySchedule";

    /// <summary>CRON of the intake sweep, which starts the approval of an application stored without one (referenced as %IntakeSweepSchedule% by the timer).</summary>
    public const string IntakeSweepSchedule = "IntakeSweepSchedule";

    /// <summary>CRON of the overdue sweep (referenced as %OverdueSweepSchedule% by the timer), in WEBSITE_TIME_ZONE.</summary>
    public const string OverdueSweepSchedule = "OverdueSweepSchedule";

    /// <summary>CRON of the monthly write-off proposal (referenced as %WriteOffProposalSchedule% by the timer), in WEBSITE_TIME_ZONE.</summary>
    public const string WriteOffProposalSchedule = "WriteOffProposalSchedule";

    /// <summary>CRON of the daily reconciliation of yesterday's settlement statement (referenced as %ReconciliationSchedule% by the timer), in WEBSITE_TIME_ZONE.</summary>
    public const string ReconciliationSchedule = "ReconciliationSchedule";

    /// <summary>CRON of anchoring the day's head of the staff audit log (referenced as %AuditAnchorSchedule% by the timer), in WEBSITE_TIME_ZONE.</summary>
    public const string AuditAnchorSchedule = "AuditAnchorSchedule";

    /// <summary>CRON of the nightly risk monitoring: outcome labels, decision metrics, the book (referenced as %RiskMonitoringSchedule% by the timer), in WEBSITE_TIME_ZONE.</summary>
    public const string RiskMonitoringSchedule = "RiskMonitoringSchedule";

    /// <summary>CRON of the monthly retraining from platform data (referenced as %RetrainingSchedule% by the timer), in WEBSITE_TIME_ZONE.</summary>
    public const string RetrainingSchedule = "RetrainingSchedule";

    /// <summary>The outcome window retraining labels on: fpd, ever30in3, ever30in6 (default), ever30in12 or ever90in12.</summary>
    public const string RetrainingWindow = "Retraining:Window";

    /// <summary>Who is on call: E.164 phones, comma-separated, texted when a staff alert opens (none when unset).</summary>
    public const string AlertsOnCallPhones = "Alerts:OnCallPhones";

    /// <summary>Email addresses, comma-separated, sent each staff alert as it opens (by Communication Services' Email with <see cref="EmailFrom"/>).</summary>
    public const string AlertsOnCallEmails = "Alerts:OnCallEmails";

    /// <summary>The score's PSI over the alert window that raises an alert (default 0.25).</summary>
    public const string MonitoringPsiAlert = "Monitoring:PsiAlert";

    /// <summary>An input's CSI over the alert window that raises an alert (default 0.25).</summary>
    public const string MonitoringCsiAlert = "Monitoring:CsiAlert";

    /// <summary>The days stability alerts are judged over (default 7).</summary>
    public const string MonitoringAlertWindowDays = "Monitoring:AlertWindowDays";

    /// <summary>The fewest decisions a stability or approval-rate alert is judged on (default 200).</summary>
    public const string MonitoringAlertMinimumDecisions = "Monitoring:AlertMinimumDecisions";

    /// <summary>Percentage points the approval rate may move day on day before it alerts (default 10).</summary>
    public const string MonitoringApprovalRateMovePoints = "Monitoring:ApprovalRateMovePoints";

    /// <summary>How many times the day before's hit rate a rule may reach before it alerts (default 3).</summary>
    public const string MonitoringRuleHitRateFactor = "Monitoring:RuleHitRateFactor";

    /// <summary>The fewest hits of a rule on a day before its rise is judged (default 10).</summary>
    public const string MonitoringMinimumRuleHits = "Monitoring:MinimumRuleHits";

    /// <summary>First-payment default rate on matured loans above which the book alerts (default 0.15).</summary>
    public const string MonitoringFirstPaymentDefaultAlert = "Monitoring:FirstPaymentDefaultAlert";

    /// <summary>The fewest matured loans the first-payment default alert is judged on (default 50).</summary>
    public const string MonitoringMinimumMatured = "Monitoring:MinimumMatured";

    /// <summary>CRON of publishing the event outbox (referenced as %EventPublishSchedule% by the timer).</summary>
    public const string EventPublishSchedule = "EventPublishSchedule";

    /// <summary>The Service Bus namespace (host name) whose domain-events topic receives loan events; unset: they stay in the outbox.</summary>
    public const string EventsServiceBusNamespace = "Events:ServiceBusNamespace";

    /// <summary>Client id of the user-assigned identity that reaches Service Bus.</summary>
    public const string EventsClientId = "Events:clientId";

    /// <summary>Days a finished orchestration's history is kept (default 90).</summary>
    public const string HistoryRetentionDays = "JisuDai:Durable:HistoryRetentionDays";

    /// <summary>Days a customer's behaviour events are kept (default 180, the longest window a feature reads).</summary>
    public const string BehaviourRetentionDays = "JisuDai:Behaviour:RetentionDays";

    /// <summary>The Durable task hub's name, which host.json reads as <c>%TaskHubName%</c>: production's is JisuDai, the staging slot's its own, so the two never share orchestrations.</summary>
    public const string TaskHubName = "TaskHubName";

    /// <summary>Days velocity and device-sharing sightings are kept (default 180, at least 30).</summary>
    public const string RetentionSightingDays = "Retention:SightingDays";

    /// <summary>Days notification send records are kept after their last change (default 365, at least 30).</summary>
    public const string RetentionSendRecordDays = "Retention:SendRecordDays";

    /// <summary>Days credit decisions are kept (default and floor 1,827: five years).</summary>
    public const string RetentionDecisionDays = "Retention:DecisionDays";

    /// <summary>Days customers' uploaded documents are kept while no loan of theirs is open (default and floor 1,827).</summary>
    public const string RetentionFileDays = "Retention:FileDays";

    /// <summary>Proxies in front of the app that append to X-Forwarded-For (default 0: the connection's address is the caller's).</summary>
    public const string ForwardedHops = "JisuDai:Network:ForwardedHops";

    /// <summary>The credit bureau's member endpoint (unset: the standalone host starts its simulator; elsewhere no bureau answers).</summary>
    public const string BureauBaseUrl = "Bureau:BaseUrl";

    /// <summary>The lender's member id at the bureau.</summary>
    public const string BureauMemberId = "Bureau:MemberId";

    /// <summary>The member secret requests are signed with.</summary>
    public const string BureauSecretKey = "Bureau:SecretKey";

    /// <summary>Days a customer's bureau report is reused for their later applications (default 30).</summary>
    public const string BureauCacheDays = "Bureau:CacheDays";

    /// <summary>Whether the app's own request limits apply (default true; the benchmarks turn them off).</summary>
    public const string LimitsEnabled = "JisuDai:Limits:Enabled";

    /// <summary>Whether the /api/diagnostics routes answer (never in Azure).</summary>
    public const string DiagnosticsEnabled = "JisuDai:Diagnostics:Enabled";

    /// <summary>Time zone of timer schedules, as the Functions host reads it.</summary>
    public const string TimeZone = "WEBSITE_TIME_ZONE";

    /// <summary>Azure Communication Services connection string (endpoint and access key); unset: the local sink.</summary>
    public const string SmsConnection = "Sms:ConnectionString";

    /// <summary>The Communication Services endpoint reached with the managed identity (Azure); no key.</summary>
    public const string SmsEndpoint = "Sms:Endpoint";

    /// <summary>Client id of the user-assigned identity that reaches Communication Services.</summary>
    public const string SmsClientId = "Sms:clientId";

    /// <summary>The sender number or id for SMS, required with <see cref="SmsConnection"/> or <see cref="SmsEndpoint"/>.</summary>
    public const string SmsFrom = "Sms:From";

    /// <summary>The sender address email comes from (a verified domain of the Communication Services resource SMS use, <see cref="SmsConnection"/> or <see cref="SmsEndpoint"/>); unset, emails are recorded locally.</summary>
    public const string EmailFrom = "Email:From";

    /// <summary>The registry name of the model that scores applications (default credit-risk, trained on first start).</summary>
    public const string RiskModelName = "Risk:ModelName";

    /// <summary>Seconds between checks of the champion pointer for a promotion or rollback (default 60).</summary>
    public const string RiskModelRefreshSeconds = "Risk:ModelRefreshSeconds";

    /// <summary>The rule set that decides applications (default "default", the bundled rules published on first use).</summary>
    public const string RulesName = "Rules:Name";

    /// <summary>The issuer bearer tokens must name (default jisudai).</summary>
    public const string AuthIssuer = "Auth:Issuer";

    /// <summary>The audience bearer tokens must name (default jisudai-api).</summary>
    public const string AuthAudience = "Auth:Audience";

    /// <summary>The audience of staff tokens (default jisudai-staff); customers' tokens are on Auth:Audience.</summary>
    public const string AuthStaffAudience = "Auth:StaffAudience";

    /// <summary>The HS256 signing key of bearer tokens, base64, at least 32 bytes (a Key Vault reference in Azure).</summary>
    public const string AuthSigningKey = "Auth:SigningKey";

    /// <summary>The EC P-256 private key customers' access tokens are signed with (ES256): PEM, or PKCS#8 DER in base64; unset: customers cannot sign in.</summary>
    public const string AuthCustomerSigningKey = "Auth:CustomerSigningKey";

    /// <summary>The real-name check's endpoint (Tencent Cloud FaceID, default https://faceid.tencentcloudapi.com/; the standalone host starts a simulator).</summary>
    public const string RealNameBaseUrl = "RealName:BaseUrl";

    /// <summary>The real-name check's API key id (TencentCloud SecretId).</summary>
    public const string RealNameSecretId = "RealName:SecretId";

    /// <summary>The real-name check's API secret key (TencentCloud SecretKey; a Key Vault reference in Azure).</summary>
    public const string RealNameSecretKey = "RealName:SecretKey";

    /// <summary>The key signed with before the last rotation (PEM): still published and accepted until its tokens have run out.</summary>
    public const string AuthCustomerSigningKeyPrevious = "Auth:CustomerSigningKeyPrevious";

    /// <summary>True only where App Service authentication validates callers in front of the app (Azure): its principal header is then trusted.</summary>
    public const string AuthTrustAppService = "Auth:TrustAppServiceAuthentication";

    /// <summary>
    /// The secret personal-data lookups are keyed with (HMAC fingerprints and digests), base64 of 32 bytes (a Key Vault
    /// reference in Azure); values sealed before envelope encryption (v1) also open under it.
    /// </summary>
    public const string PersonalDataKey = "Security:PersonalDataKey";

    /// <summary>The Key Vault whose key wraps every personal-data key (its URI; the standalone host sets its simulator's).</summary>
    public const string KeyVaultUrl = "Security:KeyVaultUrl";

    /// <summary>The name of the key-encryption key in that vault (default pii-key-encryption-key).</summary>
    public const string KeyName = "Security:KeyName";

    /// <summary>Client id of the user-assigned identity that reaches Key Vault.</summary>
    public const string KeyVaultClientId = "Security:clientId";

    /// <summary>The bearer token of a vault on this machine (the Key Vault simulator); a real vault takes the managed identity.</summary>
    public const string KeyVaultToken = "Security:KeyVaultToken";

    /// <summary>How long a referral waits for a reviewer before it is escalated (hh:mm:ss; default 04:00:00).</summary>
    public const string ReviewEscalateAfter = "Approval:ReviewEscalateAfter";

    /// <summary>How long a referral waits before it is declined (default 2.00:00:00).</summary>
    public const string ReviewDeclineAfter = "Approval:ReviewDeclineAfter";

    /// <summary>How long an offer waits for the borrower (default 3.00:00:00).</summary>
    public const string OfferExpiresAfter = "Approval:OfferExpiresAfter";

    /// <summary>How long a submission may take to decide before it leaves the decision to the approval (hh:mm:ss.fff, default 00:00:00.300; 00:00:00 leaves every decision to it).</summary>
    public const string DecisionBudget = "Approval:DecisionBudget";

    /// <summary>The time of day (Asia/Shanghai) repayment reminders go out (default 09:00:00).</summary>
    public const string RepaymentRemindAt = "Repayment:RemindAt";

    /// <summary>How long a business day lasts for the repayment lifecycle (default 1.00:00:00; tests shorten it).</summary>
    public const string RepaymentDayLength = "Repayment:DayLength";

    /// <summary>The payment provider's API root (WeChat Pay API v3's merchant protocol); the standalone host sets its simulator's.</summary>
    public const string PaymentsBaseUrl = "Payments:BaseUrl";

    /// <summary>Our merchant number at the provider (mchid).</summary>
    public const string PaymentsMerchantId = "Payments:MerchantId";

    /// <summary>Our app id at the provider (appid).</summary>
    public const string PaymentsAppId = "Payments:AppId";

    /// <summary>The serial number of our merchant API certificate.</summary>
    public const string PaymentsMerchantSerial = "Payments:MerchantSerial";

    /// <summary>Our merchant API private key, PEM (a Key Vault reference in Azure).</summary>
    public const string PaymentsMerchantKey = "Payments:MerchantKey";

    /// <summary>The provider's platform certificate, PEM: verifies its answers and notifications.</summary>
    public const string PaymentsPlatformCertificate = "Payments:PlatformCertificate";

    /// <summary>The API v3 key notifications are encrypted under, 32 characters (a Key Vault reference in Azure).</summary>
    public const string PaymentsApiV3Key = "Payments:ApiV3Key";

    /// <summary>Where the provider sends notifications: this app's /api/payments/notifications.</summary>
    public const string PaymentsNotifyUrl = "Payments:NotifyUrl";

    /// <summary>
    /// The debit plan registered with the provider (WeChat Pay's 委托代扣 plan_id) that debit agreements are signed under.
    /// Unset, the lender takes no debit agreements: accepting an offer with one is refused.
    /// </summary>
    public const string PaymentsDebitPlanId = "Payments:DebitPlanId";

    /// <summary>The days after an installment's due date a failed debit is tried again (of the repayment lifecycle's 1, 3, 7 and 15; default 1,3,7).</summary>
    public const string RepaymentDebitRetryDays = "Repayment:DebitRetryDays";

    /// <summary>Version 2 of the approval only: how long one try of its payout waits for the provider to finish the transfer (seconds, default 60).</summary>
    public const string PaymentsPayoutWaitSeconds = "Payments:PayoutWaitSeconds";

    /// <summary>Where App Service gives the Application Insights resource's connection string; with it, traces, metrics and logs go to Azure Monitor.</summary>
    public const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The managed identity that exports to Azure Monitor (local authentication is off there).</summary>
    public const string TelemetryClientId = "Telemetry:clientId";

    /// <summary>Where else telemetry goes: none (default), console, or otlp (with the standard OTEL_EXPORTER_OTLP_* variables).</summary>
    public const string TelemetryExporter = "Telemetry:Exporter";

    /// <summary>What Bicep writes for the app in Azure: identity-based, no connection string or key.</summary>
    public static IReadOnlySet<string> InAzure { get; } = new HashSet<string>
    {
        StorageAccountName, StorageClientId, CosmosEndpoint, CosmosDatabase, CosmosClientId, ApplicationInsightsConnectionString, TelemetryClientId,
        PurgeHistorySchedule, IntakeSweepSchedule, OverdueSweepSchedule, WriteOffProposalSchedule, ReconciliationSchedule, AuditAnchorSchedule, RiskMonitoringSchedule, RetrainingSchedule, RetrainingWindow, AlertsOnCallPhones, AlertsOnCallEmails, MonitoringPsiAlert, MonitoringCsiAlert, MonitoringAlertWindowDays, MonitoringAlertMinimumDecisions, MonitoringApprovalRateMovePoints, MonitoringRuleHitRateFactor, MonitoringMinimumRuleHits, MonitoringFirstPaymentDefaultAlert, MonitoringMinimumMatured, EventPublishSchedule, EventsServiceBusNamespace, EventsClientId, TaskHubName, HistoryRetentionDays, BehaviourRetentionDays, RetentionSightingDays, RetentionSendRecordDays, RetentionDecisionDays, RetentionFileDays, ForwardedHops, LimitsEnabled, DiagnosticsEnabled, TimeZone, RiskModelName, RiskModelRefreshSeconds, RulesName, AuthIssuer, AuthAudience, AuthStaffAudience, AuthSigningKey, AuthCustomerSigningKey, AuthCustomerSigningKeyPrevious, AuthTrustAppService, RealNameBaseUrl, RealNameSecretId, RealNameSecretKey, BureauBaseUrl, BureauMemberId, BureauSecretKey, BureauCacheDays, PersonalDataKey, KeyVaultUrl, KeyName, KeyVaultClientId, ReviewEscalateAfter, ReviewDeclineAfter, OfferExpiresAfter, DecisionBudget, RepaymentRemindAt, SmsEndpoint, SmsClientId, SmsFrom, EmailFrom,
        PaymentsBaseUrl, PaymentsMerchantId, PaymentsAppId, PaymentsMerchantSerial, PaymentsMerchantKey, PaymentsPlatformCertificate, PaymentsApiV3Key, PaymentsNotifyUrl, PaymentsPayoutWaitSeconds, PaymentsDebitPlanId, RepaymentDebitRetryDays,
    };

    /// <summary>Connection strings and keys, read only where there is no managed identity; and the tests' day length.</summary>
    public static IReadOnlySet<string> LocalOnly { get; } = new HashSet<string> { Storage, CosmosKey, SmsConnection, RepaymentDayLength, KeyVaultToken, TelemetryExporter };
}
