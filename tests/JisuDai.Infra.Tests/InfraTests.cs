using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using JisuDai.Adapters.Storage;
using JisuDai.App.Configuration;
using JisuDai.Tests;

namespace JisuDai.Infra.Tests;

public sealed partial class InfraTests
{
    [Fact]
    public void Main_bicep_builds_and_lints_with_no_error_and_no_warning()
    {
        (int build, string buildOutput) = Bicep.Run("build", Repository.Path("infra", "main.bicep"), "--stdout");
        (int lint, string lintOutput) = Bicep.Run("lint", Repository.Path("infra", "main.bicep"));

        Assert.True(build == 0, buildOutput);
        Assert.True(lint == 0, lintOutput);
        Assert.DoesNotContain("Warning", lintOutput);
        Assert.DoesNotContain("Error", lintOutput);
    }

    [Fact]
    public void The_bicepconfig_turns_lint_findings_into_errors()
    {
        // A module with a hard-coded location, linted under the project's bicepconfig.json, must fail.
        string folder = Directory.CreateTempSubdirectory("jisudai-bicep-").FullName;
        File.Copy(Repository.Path("infra", "bicepconfig.json"), Path.Combine(folder, "bicepconfig.json"));
        File.WriteAllText(Path.Combine(folder, "bad.bicep"), """
            resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
              name: 'id-bad'
              location: 'westus'
            }
            """);

        (int exitCode, string output) = Bicep.Run("lint", Path.Combine(folder, "bad.bicep"));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Error no-hardcoded-location", output);
    }

    // Read by the Functions host and the platform, not by the app's code.
    static readonly HashSet<string> PlatformSettings =
    [
        "FUNCTIONS_EXTENSION_VERSION", "FUNCTIONS_WORKER_RUNTIME", "WEBSITE_RUN_FROM_PACKAGE",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "AzureWebJobsStorage:credential",
    ];

    static IEnumerable<string> BicepAppSettingNames() =>
        Bicep.Module("functionApp").GetProperty("variables").GetProperty("appSettings").EnumerateObject()
            .Select(p => p.Name.Replace("__", ":", StringComparison.Ordinal));

    [Fact]
    public void The_app_settings_Bicep_writes_are_exactly_the_ones_the_app_reads_in_Azure()
    {
        Assert.Equal(
            AppSettings.InAzure.Order(StringComparer.Ordinal),
            BicepAppSettingNames().Where(n => !PlatformSettings.Contains(n)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_setting_the_app_reads_is_classified_as_Azure_or_local_only()
    {
        var declared = typeof(AppSettings).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal);

        Assert.Equal(declared, AppSettings.InAzure.Concat(AppSettings.LocalOnly).Order(StringComparer.Ordinal));
        Assert.Empty(AppSettings.InAzure.Intersect(AppSettings.LocalOnly));
    }

    [Fact]
    public void The_app_reads_configuration_only_through_named_settings()
    {
        var literalReads = Directory.EnumerateFiles(Repository.Path("functions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .SelectMany(f => LiteralConfigurationRead().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetFileName(f)}: {m.Value}"));

        Assert.Empty(literalReads);
    }

    [Fact]
    public void No_key_or_connection_string_reaches_app_settings_parameters_or_outputs()
    {
        string template = Bicep.MainTemplate.GetRawText();
        Assert.DoesNotContain("listKeys(", template);
        Assert.DoesNotContain("listConnectionStrings(", template);
        Assert.DoesNotContain("AccountKey=", template);
        Assert.DoesNotContain("SharedAccessKey", template);

        Assert.DoesNotContain(BicepAppSettingNames(), n => n.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase) && n != "APPLICATIONINSIGHTS_CONNECTION_STRING");
        Assert.DoesNotContain("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", BicepAppSettingNames());

        Assert.All(Bicep.MainTemplate.GetProperty("outputs").EnumerateObject(), output =>
            Assert.DoesNotMatch("(?i)secret|password|connection|accesskey|accountkey|primarykey|sas", output.Name));
        using JsonDocument parameters = JsonDocument.Parse(File.ReadAllText(Repository.Path("infra", "main.parameters.json")));
        Assert.All(parameters.RootElement.GetProperty("parameters").EnumerateObject(), p =>
            Assert.Matches(@"^\$\{AZURE_[A-Z_]+(=[a-z0-9]+)?\}$", p.Value.GetProperty("value").GetString()));

        // The token signing key reaches the app only as a Key Vault reference, read with the app's identity.
        string signingKey = Bicep.Module("functionApp").GetProperty("variables").GetProperty("appSettings").GetProperty("Auth__SigningKey").GetString()!;
        Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0})'", signingKey);
    }

    [Fact]
    public void Cosmos_containers_match_the_document_stores()
    {
        JsonElement cosmos = Bicep.Module("cosmos");
        var containers = cosmos.GetProperty("parameters").GetProperty("containers").GetProperty("defaultValue")
            .EnumerateArray().Select(c => c.GetString()!).Order();
        string template = cosmos.GetRawText();

        Assert.Equal(DocumentKinds.Collections.Values.Order(), containers);
        Assert.Contains($"\"paths\":[\"{CosmosContainers.PartitionKeyPath}\"]", Regex.Replace(template, @"\s", ""));
    }

    [Fact]
    public void Azd_deploys_the_functions_project_as_the_tagged_api_service()
    {
        string azureYaml = File.ReadAllText(Repository.Path("azure.yaml"));
        Assert.Matches(@"(?m)^  api:\s*\n\s+project: \./functions\s*\n\s+language: dotnet\s*\n\s+host: function", azureYaml);
        Assert.Contains("'azd-service-name': 'api'", File.ReadAllText(Repository.Path("infra", "modules", "functionapp.bicep")));
    }

    static IEnumerable<JsonElement> Resources(string module, string type) =>
        Bicep.Module(module).GetProperty("resources").EnumerateArray().Where(r => r.GetProperty("type").GetString() == type);

    [Fact]
    public void Publishing_needs_Entra_and_every_data_service_logs_to_a_workspace_kept_a_year()
    {
        // No user-name-and-password publishing, over FTP or to the SCM site.
        Assert.Equal(["ftp:False", "scm:False"], Resources("functionApp", "Microsoft.Web/sites/basicPublishingCredentialsPolicies")
            .Select(r => $"{Regex.Match(r.GetProperty("name").GetString()!, @"'(\w+)'\)\]$").Groups[1].Value}:{r.GetProperty("properties").GetProperty("allow").GetBoolean()}").Order());

        // Blob, table and queue services each send their audit logs to Log Analytics, which keeps them a year by default.
        string[] scopes = Resources("storage", "Microsoft.Insights/diagnosticSettings").Select(r => r.GetProperty("scope").GetString()!).ToArray();
        Assert.Equal(3, scopes.Length);
        Assert.Contains(scopes, s => s.Contains("blobServices", StringComparison.Ordinal));
        Assert.Contains(scopes, s => s.Contains("tableServices", StringComparison.Ordinal));
        Assert.Contains(scopes, s => s.Contains("queueServices", StringComparison.Ordinal));
        Assert.Equal(365, Bicep.Module("monitoring").GetProperty("parameters").GetProperty("logRetentionDays").GetProperty("defaultValue").GetInt32());
        Assert.Equal("[parameters('logRetentionDays')]", Resources("monitoring", "Microsoft.OperationalInsights/workspaces").Single().GetProperty("properties").GetProperty("retentionInDays").GetString());
    }

    [Fact]
    public void The_app_sends_SMS_under_a_role_that_can_only_read_and_write_its_Communication_Services_resource()
    {
        const string contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c";
        Assert.DoesNotContain(contributor, Bicep.Module("communication").GetRawText());
        JsonElement role = Resources("communication", "Microsoft.Authorization/roleDefinitions").Single().GetProperty("properties");
        Assert.Equal(["Microsoft.Communication/CommunicationServices/read", "Microsoft.Communication/CommunicationServices/write"],
            role.GetProperty("permissions").EnumerateArray().Single().GetProperty("actions").EnumerateArray().Select(a => a.GetString()!));
        Assert.False(role.GetProperty("permissions").EnumerateArray().Single().TryGetProperty("dataActions", out _));
    }

    [Fact]
    public void An_Azure_managed_email_domain_is_linked_only_when_asked_and_sends_unless_another_sender_is_named()
    {
        JsonElement domain = Resources("communication", "Microsoft.Communication/emailServices/domains").Single();
        Assert.Equal("[parameters('azureManagedEmail')]", domain.GetProperty("condition").GetString());
        Assert.Equal("AzureManaged", domain.GetProperty("properties").GetProperty("domainManagement").GetString());
        Assert.Equal("[parameters('azureManagedEmail')]", Resources("communication", "Microsoft.Communication/emailServices").Single().GetProperty("condition").GetString());
        string linked = Resources("communication", "Microsoft.Communication/communicationServices").Single().GetProperty("properties").GetProperty("linkedDomains").GetString()!;
        Assert.Contains("parameters('azureManagedEmail')", linked);
        Assert.Contains("Microsoft.Communication/emailServices/domains", linked);
        Assert.Contains("mailFromSenderDomain", Bicep.Module("communication").GetProperty("outputs").GetProperty("emailSender").GetProperty("value").GetString());

        // The function app sends from the named sender, else from the managed domain's address (empty when there is none).
        string from = Bicep.MainTemplate.GetProperty("resources").GetProperty("functionApp").GetProperty("properties").GetProperty("parameters").GetProperty("emailSender").GetString()!;
        Assert.Equal("[if(empty(parameters('emailSender')), createObject('value', reference('communication').outputs.emailSender.value), createObject('value', parameters('emailSender')))]", from);
        using JsonDocument parameters = JsonDocument.Parse(File.ReadAllText(Repository.Path("infra", "main.parameters.json")));
        Assert.Equal("${AZURE_MANAGED_EMAIL=false}", parameters.RootElement.GetProperty("parameters").GetProperty("azureManagedEmail").GetProperty("value").GetString());
    }

    [Fact]
    public void The_deploying_user_gets_the_data_roles_the_CLI_needs_and_azd_state_stays_out_of_git()
    {
        using JsonDocument parameters = JsonDocument.Parse(File.ReadAllText(Repository.Path("infra", "main.parameters.json")));
        Assert.Equal("${AZURE_PRINCIPAL_ID}", parameters.RootElement.GetProperty("parameters").GetProperty("deployerPrincipalId").GetProperty("value").GetString());
        string[] storageRoles = Resources("storage", "Microsoft.Authorization/roleAssignments")
            .Where(r => r.GetProperty("properties").GetProperty("principalType").GetString() == "User").Select(r => r.GetProperty("condition").GetString()!).ToArray();
        Assert.NotEmpty(storageRoles);
        Assert.All(storageRoles, c => Assert.Contains("deployerPrincipalId", c));
        JsonElement rotator = Resources("keyVault", "Microsoft.Authorization/roleAssignments").Single(r => r.GetProperty("properties").GetProperty("principalType").GetString() == "User");
        Assert.Equal("14b46e9e-c2b7-41b4-b07b-48a6ebf60603", Bicep.Module("keyVault").GetProperty("variables").GetProperty("cryptoOfficer").GetString()); // Key Vault Crypto Officer
        Assert.Contains("variables('cryptoOfficer')", rotator.GetProperty("properties").GetProperty("roleDefinitionId").GetString());
        Assert.Contains(".azure/", File.ReadAllLines(Repository.Path(".gitignore")));
    }

    [Fact]
    public void Private_networking_is_one_parameter_that_puts_every_data_service_behind_a_private_endpoint_and_the_app_in_the_network()
    {
        JsonElement resources = Bicep.MainTemplate.GetProperty("resources");
        Assert.False(Bicep.MainTemplate.GetProperty("parameters").GetProperty("privateNetworking").GetProperty("defaultValue").GetBoolean());
        JsonElement network = resources.GetProperty("network");
        Assert.Equal("[parameters('privateNetworking')]", network.GetProperty("condition").GetString());
        Assert.Equal(["Sql", "blob", "namespace", "queue", "table", "vault"], network.GetProperty("properties").GetProperty("parameters").GetProperty("endpoints")
            .GetProperty("value").EnumerateArray().Select(e => e.GetProperty("groupId").GetString()!).Order(StringComparer.Ordinal));

        // Each data service turns its public access off with the same parameter, and the app joins the network.
        foreach (string module in new[] { "storage", "cosmos", "keyVault", "serviceBus" })
        {
            Assert.Equal("[parameters('privateNetworking')]", resources.GetProperty(module).GetProperty("properties").GetProperty("parameters").GetProperty("privateOnly").GetProperty("value").GetString());
            Assert.Contains(Bicep.Module(module).GetProperty("resources").EnumerateArray(), r =>
                r.GetProperty("properties").TryGetProperty("publicNetworkAccess", out JsonElement access) && access.GetString() == "[if(parameters('privateOnly'), 'Disabled', 'Enabled')]");
        }

        Assert.All(Resources("functionApp", "Microsoft.Web/sites").Concat(Resources("functionApp", "Microsoft.Web/sites/slots")), site =>
            Assert.Equal("[not(empty(parameters('appSubnetId')))]", site.GetProperty("properties").GetProperty("vnetRouteAllEnabled").GetString()));
        Assert.Contains("reference('network').outputs.appSubnetId.value", resources.GetProperty("functionApp").GetRawText());
    }

    [GeneratedRegex("""onfiguration\[\s*\$?"[^"]*"\s*\]""")]
    private static partial Regex LiteralConfigurationRead();
}
