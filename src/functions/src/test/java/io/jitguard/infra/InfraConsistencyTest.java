package io.jitguard.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jitguard.arm.ArmOperation;
import io.jitguard.baseline.Settings;
import io.jitguard.events.RoutedOperations;
import io.jitguard.functions.Decision;
import io.jitguard.functions.DecisionLog;
import io.jitguard.infra.BicepText.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the files under {@code infra/} can prove without a Bicep compiler: the Bicep sets every setting the code reads,
 * filters events on exactly the operations the router handles, grants exactly the ARM actions the adapter needs, and
 * points Event Grid at a function that exists in the code.
 */
class InfraConsistencyTest {

    /**
     * Settings the Bicep deploys under another name. {@code AzureWebJobsStorage} is an identity-based connection: the
     * app gets {@code AzureWebJobsStorage__accountName} and its managed identity, never a connection string with a key.
     */
    static final Map<String, String> DEPLOYED_AS = Map.of(Settings.STORAGE, Settings.STORAGE + "__accountName");

    /** Defender documents this for whoever configures JIT on a VM; jitguard never calls it itself. */
    static final String VM_WRITE = "Microsoft.Compute/virtualMachines/write";

    /** The issue's list: everything the custom role may hold (ArmOperation's actions must be within it too). */
    static final Set<String> ISSUE_ALLOWED_ACTIONS = Set.of(
            "Microsoft.Resources/subscriptions/read",
            "Microsoft.Resources/subscriptions/resourceGroups/read",
            "Microsoft.Compute/virtualMachines/read",
            "Microsoft.Network/networkInterfaces/read",
            "Microsoft.Network/networkSecurityGroups/read",
            "Microsoft.Network/virtualNetworks/read",
            "Microsoft.Network/virtualNetworks/subnets/read",
            "Microsoft.Security/pricings/read",
            "Microsoft.Security/locations/jitNetworkAccessPolicies/read",
            "Microsoft.Authorization/policyAssignments/read",
            "Microsoft.Security/locations/jitNetworkAccessPolicies/write",
            "Microsoft.Authorization/policyAssignments/write",
            VM_WRITE);

    /** Owner, Contributor, User Access Administrator, Role Based Access Control Administrator. */
    static final List<String> PRIVILEGED_BUILT_IN_ROLES = List.of(
            "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
            "b24988ac-6180-42a0-ab88-20f7382dd24c",
            "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
            "f58310d9-a9f6-439a-9e8d-f62e7b41a168");

    /** Deleted VMs: the code routes them to the VM's resource group + location. */
    static final String VM_DELETE = "Microsoft.Compute/virtualMachines/delete";
    static final String RESOURCE_DELETE_SUCCESS = "Microsoft.Resources.ResourceDeleteSuccess";

    static final String STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    static final String SWEEP_QUEUE = "jitguard-sweep";
    /** A result another engineer is adding to the code; the alert and the workbook may name it first. */
    static final Set<String> EXPOSED_AHEAD = Set.of("exposed");
    static final String NOTIFY_WEBHOOK = "JITGUARD_NOTIFY_WEBHOOK";
    static final String NOTIFY_FORMAT = "JITGUARD_NOTIFY_FORMAT";
    static final int EVENT_GRID_MAX_FILTER_VALUES = 25;

    static Path root;
    static Path infra;
    static List<BicepText> bicep;

    @BeforeAll
    static void load() throws IOException {
        root = Path.of(System.getProperty("jitguard.repoRoot", System.getProperty("user.dir"))).toAbsolutePath();
        infra = root.resolve("infra");
        assertThat(infra.resolve("main.bicep")).as("infra/main.bicep under repo root %s", root).isRegularFile();
        try (Stream<Path> files = Files.walk(infra)) {
            bicep = files.filter(p -> p.toString().endsWith(".bicep")).sorted().map(BicepText::read).toList();
        }
    }

    // ---- settings ----------------------------------------------------------------------------------------------

    @Test
    void everySettingTheCodeReadsIsSetAsAnAppSetting() {
        List<String> names = appSettingNames();
        assertThat(names).as("app setting names are unique").doesNotHaveDuplicates();
        for (String setting : Settings.APP_SETTINGS) {
            assertThat(names).as("app setting for %s", setting).contains(DEPLOYED_AS.getOrDefault(setting, setting));
        }
    }

    @Test
    void storageIsIdentityBasedAndNoLocalOnlySettingIsDeployed() throws IOException {
        assertThat(appSettingNames()).as("no key-based AzureWebJobsStorage connection string")
                .doesNotContain(Settings.STORAGE);
        List<Path> deployed = new ArrayList<>(bicep.stream().map(b -> b.path).toList());
        try (Stream<Path> files = Files.walk(infra)) {
            files.filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".bicepparam"))
                    .forEach(deployed::add);
        }
        for (Path file : deployed) {
            String text = Files.readString(file);
            for (String localOnly : Settings.LOCAL_ONLY) {
                assertThat(text).as("%s must not mention the local-only setting %s", root.relativize(file), localOnly)
                        .doesNotContain(localOnly);
            }
        }
        Resource storage = single("Microsoft.Storage/storageAccounts");
        assertThat(BicepText.rawProperty(storage.body(), "allowSharedKeyAccess")).as("shared keys disabled")
                .contains("false");
    }

    @Test
    void settingDefaultsMatchTheBaselineAndStartInAuditMode() {
        BicepText main = file("main.bicep");
        assertThat(main.paramDefault("mode")).as("dry run first").contains("audit");
        assertThat(main.paramAllowed("mode")).hasValueSatisfying(
                allowed -> assertThat(allowed).containsExactlyInAnyOrder("audit", "enforce"));
        assertThat(main.paramDefault("ports")).contains("22,3389,5985,5986");
        assertThat(main.paramDefault("sourcePrefixes")).contains("*");
        assertThat(main.paramDefault("maxDuration")).contains("PT3H");
        assertThat(main.paramDefault("sweepSchedule")).contains("0 0 2 * * *");
        String settings = appSettingsBlock();
        assertThat(settingValue(settings, Settings.SUBSCRIPTIONS)).as("JITGUARD_SUBSCRIPTIONS")
                .matches("join\\(\\s*targetSubscriptionIds\\s*,\\s*','\\s*\\)");
    }

    @Test
    void notificationWebhookIsAKeyVaultReferenceSetOnlyWhenGiven() {
        BicepText main = file("main.bicep");
        assertThat(main.paramDefault("notifyWebhookSecretUri")).as("optional").contains("");
        assertThat(main.paramDefault("notifyFormat")).contains("json");
        assertThat(main.paramAllowed("notifyFormat")).hasValueSatisfying(
                allowed -> assertThat(allowed).containsExactlyInAnyOrder("json", "slack", "teams"));
        assertThat(main.text).containsPattern("notifyWebhookSecretUri\\s*:\\s*notifyWebhookSecretUri")
                .containsPattern("notifyFormat\\s*:\\s*notifyFormat");

        String settings = appSettingsBlock();
        assertThat(settingValue(settings, NOTIFY_WEBHOOK)).as("a Key Vault reference, never the URL itself")
                .isEqualTo("'@Microsoft.KeyVault(SecretUri=${notifyWebhookSecretUri})'");
        assertThat(settingValue(settings, NOTIFY_FORMAT)).isEqualTo("notifyFormat");
        BicepText app = functionApp().file();
        assertThat(app.paramAllowed("notifyFormat")).hasValueSatisfying(
                allowed -> assertThat(allowed).containsExactlyInAnyOrder("json", "slack", "teams"));
        String optional = Arrays.stream(app.text.split("\\n"))
                .filter(l -> l.matches("var\\s+\\w+\\s*=.*")).filter(l -> {
                    String name = l.replaceFirst("var\\s+(\\w+).*", "$1");
                    return varExpression(app.text, name).contains(NOTIFY_WEBHOOK);
                })
                .findFirst().orElseThrow(() -> new AssertionError("no var holding " + NOTIFY_WEBHOOK));
        assertThat(optional).as("both settings only when a secret URI is given")
                .containsPattern("=\\s*empty\\(\\s*notifyWebhookSecretUri\\s*\\)\\s*\\?\\s*\\[\\s*\\]\\s*:");
    }

    // ---- the function app -------------------------------------------------------------------------------------

    @Test
    void functionAppIsJava17OnLinuxFlexConsumption() throws IOException {
        Resource plan = single("Microsoft.Web/serverfarms");
        assertThat(BicepText.block(plan.body(), "sku").flatMap(s -> BicepText.stringProperty(s, "tier")))
                .as("plan tier").contains("FlexConsumption");
        assertThat(BicepText.rawProperty(plan.body(), "reserved")).as("Linux plan (reserved)").contains("true");

        Resource site = functionApp();
        assertThat(BicepText.stringProperty(site.body(), "kind")).as("site kind").hasValueSatisfying(
                kind -> assertThat(Arrays.asList(kind.split(","))).contains("functionapp", "linux"));
        String runtime = BicepText.block(site.body(), "functionAppConfig")
                .flatMap(c -> BicepText.block(c, "runtime"))
                .orElseThrow(() -> new AssertionError("functionAppConfig.runtime missing in " + site));
        assertThat(BicepText.stringProperty(runtime, "name")).contains("java");
        // Java 21: the Flex Consumption runtime Microsoft lists; the code is Java 17 bytecode (below)
        assertThat(BicepText.stringProperty(runtime, "version")).contains("21");
        assertThat(BicepText.rawProperty(site.body(), "type").orElse(""))
                .as("system-assigned identity").contains("SystemAssigned");

        // Flex Consumption rejects these; the runtime comes from functionAppConfig.runtime.
        assertThat(appSettingNames()).doesNotContain("FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION",
                "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING");

        // The Maven plugin that packages the app must agree.
        String pom = Files.readString(root.resolve("src/functions/pom.xml"));
        assertThat(pom).as("src/functions/pom.xml functions runtime").contains("<os>linux</os>")
                .contains("<javaVersion>21</javaVersion>");
        assertThat(Files.readString(root.resolve("pom.xml"))).contains("<maven.compiler.release>17</maven.compiler.release>");
    }

    /**
     * host.json's functionTimeout fits the plan the Bicep deploys (Consumption: at most 10 minutes; Flex Consumption:
     * anything, but jitguard keeps it bounded) and every README line that names a functionTimeout value names this one.
     */
    @Test
    void hostJsonFunctionTimeoutFitsThePlanAndTheReadmesAgree() throws IOException {
        JsonNode host = new ObjectMapper().readTree(root.resolve("host.json").toFile());
        String timeout = host.path("functionTimeout").asText(null);
        assertThat(timeout).as("host.json functionTimeout").isNotNull().matches("\\d{2}:\\d{2}:\\d{2}");
        String[] hms = timeout.split(":");
        java.time.Duration duration = java.time.Duration.ofHours(Integer.parseInt(hms[0]))
                .plusMinutes(Integer.parseInt(hms[1])).plusSeconds(Integer.parseInt(hms[2]));

        String tier = BicepText.block(single("Microsoft.Web/serverfarms").body(), "sku")
                .flatMap(s -> BicepText.stringProperty(s, "tier")).orElseThrow();
        if (tier.equals("FlexConsumption")) {
            assertThat(duration).as("bounded, and long enough for a subscription's sweep on Flex Consumption")
                    .isBetween(java.time.Duration.ofMinutes(10), java.time.Duration.ofHours(2));
        } else {
            assertThat(duration).as("Consumption allows at most 10 minutes").isLessThanOrEqualTo(java.time.Duration.ofMinutes(10));
        }

        Pattern value = Pattern.compile("\\b\\d{2}:\\d{2}:\\d{2}\\b");
        Pattern minutes = Pattern.compile("`functionTimeout` is (\\d+) minutes");
        int mentions = 0;
        for (Path readme : List.of(infra.resolve("README.md"), root.resolve("README.md"))) {
            if (!Files.isRegularFile(readme)) {
                continue;
            }
            // a paragraph at a time: the value may sit on the line after the word functionTimeout
            for (String paragraph : Files.readString(readme).split("\\n\\s*\\n|\\n(?=\\s*- )")) {
                if (!paragraph.contains("functionTimeout")) {
                    continue;
                }
                Matcher v = value.matcher(paragraph);
                while (v.find()) {
                    mentions += readme.startsWith(infra) ? 1 : 0;
                    assertThat(v.group()).as("functionTimeout in %s: %s", root.relativize(readme), paragraph).isEqualTo(timeout);
                }
                Matcher m = minutes.matcher(paragraph);
                while (m.find()) {
                    assertThat(java.time.Duration.ofMinutes(Long.parseLong(m.group(1))))
                            .as("functionTimeout in %s: %s", root.relativize(readme), paragraph).isEqualTo(duration);
                }
            }
        }
        assertThat(mentions).as("infra/README.md states host.json's functionTimeout").isPositive();
    }

    @Test
    void sweepQueueAndDeadLetterContainerAreCreated() {
        List<String> queues = resourceNames("Microsoft.Storage/storageAccounts/queueServices/queues");
        assertThat(queues).as("queues created by the Bicep").contains(SWEEP_QUEUE);
        assertThat(resources("Microsoft.Storage/storageAccounts/blobServices/containers")).as("blob containers")
                .hasSizeGreaterThanOrEqualTo(2);
    }

    // ---- events -----------------------------------------------------------------------------------------------

    @Test
    void systemTopicIsTheAzureSubscriptionTopicDeployedPerTargetSubscription() {
        Resource topic = single("Microsoft.EventGrid/systemTopics");
        assertThat(BicepText.stringProperty(topic.body(), "topicType")).contains("Microsoft.Resources.Subscriptions");
        assertThat(BicepText.stringProperty(topic.body(), "location")).contains("global");
        assertThat(BicepText.rawProperty(topic.body(), "source")).contains("subscription().id");
        assertThat(BicepText.block(topic.body(), "identity").orElse("")).as("topic identity for dead-lettering")
                .contains("'SystemAssigned'");

        List<BicepText> perSubscription = bicep.stream()
                .filter(b -> b.targetScope().filter("subscription"::equals).isPresent())
                .filter(b -> b.text.contains("'" + topic.file().fileName() + "'"))
                .toList();
        assertThat(perSubscription).as("a subscription-scope module deploys %s", topic.file().fileName()).hasSize(1);
        BicepText target = perSubscription.get(0);
        String main = file("main.bicep").text;
        Matcher loop = Pattern.compile("module\\s+\\w+\\s+'modules/" + Pattern.quote(target.fileName())
                + "'\\s*=\\s*\\[\\s*for\\s+(\\w+)\\s+in\\s+targetSubscriptions\\s*:\\s*\\{").matcher(main);
        assertThat(loop.find()).as("main.bicep loops over targetSubscriptions deploying %s", target.fileName()).isTrue();
        int open = loop.end() - 1;
        String body = main.substring(open, BicepText.matchingClose(main, open) + 1);
        assertThat(body).as("each instance is scoped to its subscription")
                .containsPattern("scope\\s*:\\s*subscription\\(\\s*" + loop.group(1) + "\\.subscriptionId\\s*\\)");
        assertThat(body).as("each instance gets its entry's existing system topic, if any")
                .containsPattern("existingSystemTopic\\s*:\\s*" + loop.group(1) + "\\.\\?existingSystemTopic\\s*\\?\\?\\s*\\{\\s*\\}");
    }

    @Test
    void eventSubscriptionsFilterOnExactlyTheRoutedOperations() {
        List<Resource> subscriptions = eventSubscriptions();
        for (Resource sub : subscriptions) {
            String filter = BicepText.block(sub.body(), "filter")
                    .orElseThrow(() -> new AssertionError("no filter in " + sub));
            String types = BicepText.block(filter, "includedEventTypes")
                    .orElseThrow(() -> new AssertionError("no includedEventTypes in " + sub));
            assertThat(BicepText.onlyLiterals(types)).as("includedEventTypes are literals").isTrue();
            assertThat(BicepText.literals(types)).as("includedEventTypes of %s", sub)
                    .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(RoutedOperations.EVENT_TYPES);

            String advanced = BicepText.block(filter, "advancedFilters")
                    .orElseThrow(() -> new AssertionError("no advancedFilters in " + sub));
            List<String> filters = BicepText.objects(advanced);
            int totalValues = 0;
            List<String> operationNames = null;
            for (String f : filters) {
                if (BicepText.stringProperty(f, "key").filter("data.operationName"::equals).isPresent()) {
                    assertThat(operationNames).as("one filter on data.operationName").isNull();
                    assertThat(BicepText.stringProperty(f, "operatorType")).contains("StringIn");
                    operationNames = routedWhenTagsOn(sub, f);
                    totalValues += operationNames.size();
                    continue;
                }
                String values = BicepText.block(f, "values").orElse("[]");
                assertThat(BicepText.onlyLiterals(values)).as("filter values are literals: %s", f).isTrue();
                totalValues += Math.max(1, BicepText.literals(values).size());
            }
            assertThat(BicepText.literals(types)).as("deletes arrive as %s", RESOURCE_DELETE_SUCCESS)
                    .contains(RESOURCE_DELETE_SUCCESS);
            assertThat(operationNames).as("a StringIn filter on data.operationName in %s", sub).isNotNull();
            assertThat(operationNames).as("deleted VMs are routed (%s)", VM_DELETE).contains(VM_DELETE);
            assertThat(operationNames).as("with tags on the filter is exactly RoutedOperations.ALL")
                    .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(RoutedOperations.ALL);
            assertThat(totalValues).as("Event Grid allows at most %d advanced filter values", EVENT_GRID_MAX_FILTER_VALUES)
                    .isLessThanOrEqualTo(EVENT_GRID_MAX_FILTER_VALUES);
        }
    }

    /**
     * The operation names of the filter: {@code routeTagWrites ? concat(alwaysRouted, tagOperations) : alwaysRouted},
     * each a var of literals equal to {@link RoutedOperations#ALWAYS} and {@link RoutedOperations#TAG_OPERATIONS}.
     * Returns the list with tags on (the larger one, for the filter-value budget).
     */
    static List<String> routedWhenTagsOn(Resource sub, String filter) {
        String values = BicepText.rawProperty(filter, "values").orElseThrow().strip();
        assertThat(values).as("the tag operations are added only when tag exclusions are on")
                .matches("routeTagWrites\\s*\\?\\s*concat\\(\\s*alwaysRouted\\s*,\\s*tagOperations\\s*\\)\\s*:\\s*alwaysRouted");
        String text = sub.file().text;
        List<String> always = BicepText.literals(BicepText.blocksIn(varExpression(text, "alwaysRouted")).get(0));
        List<String> tags = BicepText.literals(BicepText.blocksIn(varExpression(text, "tagOperations")).get(0));
        List<String> expectedAlways = new ArrayList<>(RoutedOperations.ALWAYS);
        if (!expectedAlways.contains(VM_DELETE)) {
            expectedAlways.add(VM_DELETE);
        }
        assertThat(always).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expectedAlways);
        assertThat(tags).containsExactlyInAnyOrderElementsOf(RoutedOperations.TAG_OPERATIONS)
                .contains("Microsoft.Resources/tags/write");
        assertThat(text).as("tag writes are not delivered unless asked for")
                .containsPattern("\\bparam\\s+routeTagWrites\\s+bool\\s*=\\s*false\\b");
        List<String> all = new ArrayList<>(always);
        all.addAll(tags);
        return all;
    }

    @Test
    void tagWritesAreDeliveredExactlyWhenTagExclusionsAreOn() {
        BicepText main = file("main.bicep");
        assertThat(main.paramDefault("tagExclusions")).as("tag exclusions off by default").contains("off");
        assertThat(main.paramAllowed("tagExclusions")).hasValueSatisfying(
                allowed -> assertThat(allowed).containsExactlyInAnyOrder("on", "off"));
        assertThat(main.text).containsPattern("routeTagWrites\\s*:\\s*tagExclusions\\s*==\\s*'on'");
        assertThat(file("targetSubscription.bicep").text).containsPattern("routeTagWrites\\s*:\\s*routeTagWrites");
        assertThat(settingValue(appSettingsBlock(), Settings.TAG_EXCLUSIONS)).isEqualTo("tagExclusions");
    }

    @Test
    void everyExclusionProfileAndExposureSettingComesFromAParameter() {
        BicepText main = file("main.bicep");
        String settings = appSettingsBlock();
        Map<String, String> fromParam = Map.of(Settings.PORTS_LINUX, "portsLinux", Settings.PORTS_WINDOWS,
                "portsWindows", Settings.EXCLUDE_TAG, "excludeTag", Settings.TAG_EXCLUSIONS, "tagExclusions",
                Settings.JIT_DENY_GRACE, "jitDenyGrace");
        fromParam.forEach((setting, param) -> {
            assertThat(settingValue(settings, setting)).as(setting).isEqualTo(param);
            assertThat(main.text).as("main.bicep declares and passes %s", param)
                    .containsPattern("\\bparam\\s+" + param + "\\b")
                    .containsPattern("\\b" + param + "\\s*:\\s*" + param + "\\b");
        });
        Map<String, String> numbers = Map.of(Settings.TAG_MAX_DAYS, "tagMaxDays", Settings.EXPOSURE_PREFIX_LENGTH,
                "exposurePrefixLength", Settings.PARALLELISM, "parallelism");
        numbers.forEach((setting, param) -> {
            assertThat(settingValue(settings, setting)).as(setting).isEqualTo("string(" + param + ")");
            assertThat(main.text).containsPattern("\\bparam\\s+" + param + "\\s+int\\s*=")
                    .containsPattern("\\b" + param + "\\s*:\\s*" + param + "\\b");
        });
        assertThat(main.text).as("defaults match the code").containsPattern("param\\s+tagMaxDays\\s+int\\s*=\\s*30\\b")
                .containsPattern("param\\s+parallelism\\s+int\\s*=\\s*16\\b")
                .containsPattern("param\\s+exposurePrefixLength\\s+int\\s*=\\s*8\\b");
        assertThat(main.paramDefault("jitDenyGrace")).contains("PT1H");
        assertThat(main.paramDefault("excludeTag")).contains("jitguard-exclude");

        // JITGUARD_EXCLUSIONS: a Key Vault reference when a secret is given, else the typed parameter as JSON
        assertThat(settingValue(settings, Settings.EXCLUSIONS)).isEqualTo("empty(exclusionsSecretUri) ? exclusionsJson"
                + " : '@Microsoft.KeyVault(SecretUri=${exclusionsSecretUri})'");
        assertThat(main.text).containsPattern("param\\s+exclusions\\s+exclusion\\[\\]\\s*=\\s*\\[\\s*\\]")
                .containsPattern("exclusionsJson\\s*:\\s*string\\(\\s*exclusions\\s*\\)")
                .containsPattern("exclusionsSecretUri\\s*:\\s*exclusionsSecretUri");
        String type = main.text.substring(main.text.indexOf("type exclusion = {"));
        type = type.substring(0, type.indexOf("\n}") + 2);
        for (String field : List.of("scope", "reason", "expiresOn", "approvedBy")) {
            assertThat(type).as("the parameter's type has the fields the code requires")
                    .containsPattern("\\n\\s*" + field + ":\\s*string");
        }
    }

    @Test
    void theHttpFunctionsAreBehindEntraIdAndTheFunctionRequiresThePlatformsPrincipal() {
        Resource auth = single("Microsoft.Web/sites/config");
        assertThat(auth.body()).containsPattern("name:\\s*'authsettingsV2'");
        assertThat(auth.body()).containsPattern("parent:\\s*functionApp");
        String validation = BicepText.block(auth.body(), "globalValidation").orElseThrow();
        assertThat(BicepText.rawProperty(validation, "requireAuthentication")).contains("true");
        assertThat(BicepText.stringProperty(validation, "unauthenticatedClientAction")).contains("Return401");
        assertThat(BicepText.literals(BicepText.block(validation, "excludedPaths").orElse("[]")))
                .as("only Event Grid's webhook (system key) bypasses Entra ID; never /api")
                .containsExactly("/runtime/webhooks/eventgrid");
        assertThat(BicepText.rawProperty(BicepText.block(auth.body(), "platform").orElseThrow(), "enabled"))
                .contains("true");
        String aad = BicepText.block(auth.body(), "azureActiveDirectory").orElseThrow();
        assertThat(BicepText.rawProperty(aad, "enabled")).contains("true");
        assertThat(BicepText.rawProperty(BicepText.block(aad, "registration").orElseThrow(), "clientId"))
                .contains("authClientId");
        assertThat(BicepText.block(aad, "allowedAudiences").orElseThrow()).contains("api://${authClientId}");
        assertThat(file("main.bicep").text).containsPattern("\\bparam\\s+authClientId\\s+string\\s*\\n")
                .as("required: no deployment without authentication")
                .containsPattern("authClientId\\s*:\\s*authClientId");
        assertThat(settingValue(appSettingsBlock(), Settings.REQUIRE_PRINCIPAL)).isEqualTo("'true'");
    }

    @Test
    void everyEventSubscriptionHasARetryPolicyAndABlobDeadLetterDestination() {
        for (Resource sub : eventSubscriptions()) {
            String retry = BicepText.block(sub.body(), "retryPolicy")
                    .orElseThrow(() -> new AssertionError("no retryPolicy in " + sub));
            assertThat(BicepText.rawProperty(retry, "maxDeliveryAttempts")).as("maxDeliveryAttempts in %s", sub).isPresent();
            assertThat(BicepText.rawProperty(retry, "eventTimeToLiveInMinutes")).as("eventTimeToLiveInMinutes in %s", sub)
                    .isPresent();

            String withIdentity = BicepText.block(sub.body(), "deadLetterWithResourceIdentity").orElse(null);
            String destination = withIdentity != null
                    ? BicepText.block(withIdentity, "deadLetterDestination").orElse(null)
                    : BicepText.block(sub.body(), "deadLetterDestination").orElse(null);
            assertThat(destination).as("dead-letter destination in %s", sub).isNotNull();
            assertThat(BicepText.stringProperty(destination, "endpointType")).contains("StorageBlob");
            assertThat(BicepText.rawProperty(destination, "resourceId")).isPresent();
            assertThat(BicepText.rawProperty(destination, "blobContainerName")).isPresent();
            if (withIdentity != null) {
                assertThat(BicepText.block(withIdentity, "identity").orElse("")).contains("'SystemAssigned'");
                assertThat(bicep.stream().flatMap(b -> b.resources("Microsoft.Authorization/roleAssignments").stream())
                        .anyMatch(r -> r.file().text.contains(STORAGE_BLOB_DATA_CONTRIBUTOR)))
                        .as("the topic identity gets Storage Blob Data Contributor for dead-lettering").isTrue();
            }
        }
    }

    @Test
    void eventSubscriptionsDeliverToANamedFunctionOfTheApp() {
        for (Resource sub : eventSubscriptions()) {
            String destination = BicepText.block(sub.body(), "destination")
                    .orElseThrow(() -> new AssertionError("no destination in " + sub));
            assertThat(BicepText.stringProperty(destination, "endpointType")).contains("AzureFunction");
            assertThat(BicepText.rawProperty(destination, "maxEventsPerBatch")).isPresent();
            assertThat(BicepText.rawProperty(destination, "preferredBatchSizeInKilobytes")).isPresent();
        }
        assertThat(bicepFunctionNames()).as("functions Event Grid delivers to").containsExactly("OnResourceEvent");
    }

    /** Every function the Bicep names must be an {@code @FunctionName} in the function app's code. */
    @Test
    void functionNamesInTheBicepExistInTheCode() throws IOException {
        Path functions = root.resolve("src/functions/src/main/java/io/jitguard/functions");
        assertThat(functions).isDirectory();

        Pattern functionName = Pattern.compile("@FunctionName\\s*\\(\\s*(?:value\\s*=\\s*)?\"([^\"]+)\"\\s*\\)");
        Pattern queueName = Pattern.compile("queueName\\s*=\\s*\"([^\"]+)\"");
        Pattern settingRef = Pattern.compile("\"%([A-Za-z0-9_]+)%\"");
        Map<String, String> sourceByFunction = new java.util.HashMap<>();
        Set<String> queues = new TreeSet<>();
        Set<String> settingRefs = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root.resolve("src/functions/src/main/java"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String src = Files.readString(p);
                Matcher m = functionName.matcher(src);
                while (m.find()) {
                    sourceByFunction.put(m.group(1), src);
                }
                queueName.matcher(src).results().forEach(r -> queues.add(r.group(1)));
                settingRef.matcher(src).results().forEach(r -> settingRefs.add(r.group(1)));
            }
        }
        if (sourceByFunction.isEmpty()) {
            fail("no @FunctionName(\"...\") literal found under src/functions/src/main/java although " + root.relativize(functions)
                    + " exists: cannot check the Bicep's function names " + bicepFunctionNames());
        }
        for (String name : bicepFunctionNames()) {
            assertThat(sourceByFunction).as("@FunctionName(\"%s\") named by the Bicep", name).containsKey(name);
            assertThat(sourceByFunction.get(name)).as("%s is an Event Grid trigger", name).contains("EventGridTrigger");
        }
        assertThat(resourceNames("Microsoft.Storage/storageAccounts/queueServices/queues"))
                .as("queues the code binds to are created").containsAll(queues);
        assertThat(appSettingNames()).as("%%SETTING%% references in bindings are app settings").containsAll(settingRefs);
    }

    @Test
    void localSettingsSampleKeysAreDeployed() throws IOException {
        Path sample = root.resolve("local.settings.json.sample");
        assumeTrue(Files.isRegularFile(sample), "local.settings.json.sample does not exist yet");
        Matcher m = Pattern.compile("\"(JITGUARD_[A-Z0-9_]+)\"\\s*:").matcher(Files.readString(sample));
        Set<String> keys = new TreeSet<>();
        while (m.find()) {
            keys.add(m.group(1));
        }
        keys.removeAll(Settings.LOCAL_ONLY);
        assertThat(appSettingNames()).as("JITGUARD_* settings of local.settings.json.sample").containsAll(keys);
    }

    // ---- one system topic per source: create ours, or reuse the subscription's -------------------------------

    @Test
    void targetSubscriptionsMayNameAnExistingSystemTopic() {
        String main = file("main.bicep").text;
        assertThat(main).as("param targetSubscriptions of a typed array")
                .containsPattern("\\bparam\\s+targetSubscriptions\\s+targetSubscription\\[\\]");
        String entryType = typeBody(main, "targetSubscription");
        assertThat(entryType).containsPattern("\\bsubscriptionId\\s*:\\s*string\\b");
        Matcher optional = Pattern.compile("\\bexistingSystemTopic\\s*:\\s*(\\w+)\\?").matcher(entryType);
        assertThat(optional.find()).as("existingSystemTopic is optional in %s", entryType).isTrue();
        String ref = typeBody(main, optional.group(1));
        assertThat(ref).containsPattern("\\bname\\s*:\\s*string\\b").containsPattern("\\bresourceGroup\\s*:\\s*string\\b");
        assertThat(main).as("the subscription ids are derived from the entries")
                .containsPattern("var\\s+targetSubscriptionIds\\s*=\\s*map\\(\\s*targetSubscriptions\\s*,\\s*(\\w+)\\s*=>\\s*\\1\\.subscriptionId\\s*\\)");
    }

    @Test
    void withoutAnExistingTopicJitguardCreatesItsOwn() {
        BicepText target = targetSubscriptionModule();
        String flag = existingTopicFlag(target);
        assertThat(target.resources("Microsoft.Resources/resourceGroups")).as("the events resource group").isNotEmpty();
        for (Resource r : target.resources("Microsoft.Resources/resourceGroups")) {
            assertThat(target.text).as("the events resource group is created only without an existing topic")
                    .containsPattern("resource\\s+" + r.symbol() + "\\s+'[^']+'\\s*=\\s*if\\s*\\(\\s*!\\s*" + flag + "\\s*\\)");
        }
        Module created = moduleOf(target, "systemTopic.bicep");
        assertThat(created.condition()).as("systemTopic.bicep only without an existing topic").isEqualTo("!" + flag);
        Resource topic = single("Microsoft.EventGrid/systemTopics");
        assertThat(topic.file().fileName()).isEqualTo("systemTopic.bicep");
    }

    @Test
    void withAnExistingTopicOnlyOurEventSubscriptionAndDeadLetterAccessAreDeployed() {
        BicepText target = targetSubscriptionModule();
        String flag = existingTopicFlag(target);
        Module reused = moduleOf(target, "existingSystemTopic.bicep");
        assertThat(reused.condition()).as("existingSystemTopic.bicep only with an existing topic").isEqualTo(flag);
        assertThat(reused.body()).as("scoped to the existing topic's resource group")
                .containsPattern("scope\\s*:\\s*resourceGroup\\(\\s*topicResourceGroupName\\s*\\)");
        assertThat(target.text).as("the topic's resource group and name come from existingSystemTopic")
                .containsPattern("topicResourceGroupName\\s*=\\s*" + flag + "\\s*\\?\\s*existingSystemTopic\\.resourceGroup\\s*:")
                .containsPattern("systemTopicName\\s*=\\s*" + flag + "\\s*\\?\\s*existingSystemTopic\\.name\\s*:");

        BicepText existing = file("existingSystemTopic.bicep");
        List<Resource> declared = existing.resources();
        assertThat(declared).as("existingSystemTopic.bicep only references the topic").isNotEmpty().allMatch(Resource::existing);
        assertThat(declared).extracting(Resource::type).containsOnly("Microsoft.EventGrid/systemTopics");
        assertThat(existing.text).as("tolerates a topic without identity (the deployment then stops on the principal id)")
                .containsPattern("output\\s+principalId\\s+string\\s*=\\s*\\w+\\.\\?identity\\.\\?principalId\\s*\\?\\?\\s*''");

        Module deadLetter = moduleOf(target, "deadLetterAccess.bicep");
        assertThat(deadLetter.condition()).as("dead-letter access on both paths").isNull();
        assertThat(BicepText.rawProperty(deadLetter.body(), "topicPrincipalId")).contains("topicPrincipalId");
        assertThat(target.text).as("the principal is the chosen topic's")
                .containsPattern("var\\s+topicPrincipalId\\s*=\\s*" + flag
                        + "\\s*\\?\\s*" + reused.symbol() + "\\.outputs\\.principalId\\s*:\\s*"
                        + moduleOf(target, "systemTopic.bicep").symbol() + "\\.outputs\\.principalId");
        assertThat(file("deadLetterAccess.bicep").text).as("an empty principal id (topic without identity) fails the deployment")
                .containsPattern("@minLength\\(36\\)\\s*@maxLength\\(36\\)\\s*param\\s+topicPrincipalId\\s+string");

        Module subscription = moduleOf(target, "eventSubscription.bicep");
        assertThat(subscription.body()).as("the event subscription goes on the chosen topic")
                .containsPattern("scope\\s*:\\s*resourceGroup\\(\\s*topicResourceGroupName\\s*\\)")
                .containsPattern("systemTopicName\\s*:\\s*systemTopicName\\b");
        assertThat(BicepText.block(subscription.body(), "dependsOn").map(BicepText::literals).orElse(List.of())).isEmpty();
        assertThat(BicepText.block(subscription.body(), "dependsOn").orElse(""))
                .as("after the topic (either) and the dead-letter access")
                .contains(reused.symbol()).contains(moduleOf(target, "systemTopic.bicep").symbol()).contains(deadLetter.symbol());
    }

    @Test
    void exampleParametersShowBothTopicPaths() throws IOException {
        JsonNode params = new ObjectMapper().readTree(infra.resolve("main.parameters.example.json").toFile())
                .path("parameters");
        assertThat(params.has("targetSubscriptionIds")).as("the old parameter is gone").isFalse();
        JsonNode targets = params.path("targetSubscriptions").path("value");
        assertThat(targets.isArray() && targets.size() >= 2).as("targetSubscriptions example").isTrue();
        boolean own = false;
        boolean reused = false;
        for (JsonNode t : targets) {
            List<String> keys = new ArrayList<>();
            t.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).contains("subscriptionId").isSubsetOf("subscriptionId", "existingSystemTopic");
            JsonNode topic = t.get("existingSystemTopic");
            if (topic == null) {
                own = true;
            } else {
                reused = true;
                List<String> topicKeys = new ArrayList<>();
                topic.fieldNames().forEachRemaining(topicKeys::add);
                assertThat(topicKeys).containsExactlyInAnyOrder("name", "resourceGroup");
            }
        }
        assertThat(own && reused).as("one entry of each kind").isTrue();
    }

    @Test
    void readmeExplainsHowToFindAnExistingTopic() throws IOException {
        String readme = Files.readString(infra.resolve("README.md"));
        assertThat(readme).contains("az eventgrid system-topic list")
                .contains("topicType=='Microsoft.Resources.Subscriptions'")
                .contains("existingSystemTopic")
                .contains("--identity systemassigned");
    }

    // ---- alerts and the workbook ------------------------------------------------------------------------------

    @Test
    void alertsGoToAnActionGroupThatMailsTheOperator() {
        BicepText main = file("main.bicep");
        assertThat(main.text).as("alertEmailAddress is a required parameter")
                .containsPattern("\\bparam\\s+alertEmailAddress\\s+string\\s*\\n");
        Resource group = single("Microsoft.Insights/actionGroups");
        String receivers = BicepText.block(group.body(), "emailReceivers").orElseThrow();
        assertThat(BicepText.rawProperty(receivers, "emailAddress")).contains("alertEmailAddress");

        List<Resource> logAlerts = resources("Microsoft.Insights/scheduledQueryRules");
        List<Resource> metricAlerts = resources("Microsoft.Insights/metricAlerts");
        assertThat(logAlerts).as("poison queue + failed/exposed decisions").hasSize(2);
        assertThat(metricAlerts).as("dead-lettered events").hasSize(1);
        for (Resource alert : logAlerts) {
            assertThat(BicepText.block(alert.body(), "actionGroups").orElse("")).as("%s notifies", alert)
                    .contains(group.symbol() + ".id");
            assertThat(BicepText.block(alert.body(), "scopes").orElse("")).contains("appInsightsId");
        }

        String poison = logAlerts.stream().map(Resource::body).filter(b -> b.contains("MaxDequeueCount")).findFirst()
                .orElseThrow(() -> new AssertionError("no poison-queue alert on the host's MaxDequeueCount log"));
        assertThat(poison).as("the queue name goes in through format() (''' strings do not interpolate)")
                .containsPattern("format\\(\\s*'{3}").contains("\"{0}\"");
        assertThat(main.text).as("the poison queue is <sweep queue>-poison")
                .containsPattern("poisonQueueName\\s*:\\s*'\\$\\{storage\\.outputs\\.sweepQueueName\\}-poison'");
        assertThat(resourceNames("Microsoft.Storage/storageAccounts/queueServices/queues")).contains(SWEEP_QUEUE);

        Resource deadLetter = metricAlerts.get(0);
        assertThat(deadLetter.file().text).as("one rule per system topic")
                .containsPattern("resource\\s+" + deadLetter.symbol() + "\\s+'[^']+'\\s*=\\s*\\[\\s*for\\s+\\w+\\s+in\\s+systemTopicIds\\s*:");
        assertThat(BicepText.stringProperty(deadLetter.body(), "metricName")).contains("DeadLetteredCount");
        assertThat(BicepText.stringProperty(deadLetter.body(), "metricNamespace")).contains("Microsoft.EventGrid/systemTopics");
        assertThat(deadLetter.body()).as("only jitguard's event subscription on a shared topic")
                .contains("'EventSubscriptionName'").contains("eventSubscriptionName");
        assertThat(BicepText.block(deadLetter.body(), "actions").orElse("")).contains(group.symbol() + ".id");
        assertThat(main.text).as("every target's topic gets a dead-letter rule")
                .containsPattern("systemTopicIds\\s*:\\s*\\[\\s*for\\s+i\\s+in\\s+range\\(\\s*0\\s*,\\s*length\\(\\s*targetSubscriptions\\s*\\)\\s*\\)\\s*:\\s*targets\\[i\\]\\.outputs\\.systemTopicId\\s*\\]");

        String decisions = logAlerts.stream().map(Resource::body).filter(b -> b.contains("jitguard.decision")).findFirst()
                .orElseThrow(() -> new AssertionError("no alert on jitguard.decision lines"));
        assertThat(resultLiterals(decisions)).as("alerts on failed and exposed").containsExactlyInAnyOrder("failed", "exposed");
    }

    @Test
    void workbookIsLoadedFromItsJsonFileAndHasTheFourViews() throws IOException {
        Resource workbook = single("Microsoft.Insights/workbooks");
        String data = BicepText.rawProperty(workbook.body(), "serializedData").orElseThrow();
        Matcher load = Pattern.compile("loadTextContent\\(\\s*'([^']+)'\\s*\\)").matcher(data);
        assertThat(load.find()).as("serializedData loaded with loadTextContent").isTrue();
        Path json = workbook.file().path.getParent().resolve(load.group(1)).normalize();
        assertThat(json).as("the workbook file").isRegularFile().startsWith(infra);
        assertThat(BicepText.stringProperty(workbook.body(), "kind")).contains("shared");
        assertThat(BicepText.rawProperty(workbook.body(), "sourceId")).contains("appInsightsId");

        JsonNode wb = new ObjectMapper().readTree(json.toFile());
        assertThat(wb.path("version").asText()).isEqualTo("Notebook/1.0");
        List<String> titles = new ArrayList<>();
        wb.path("items").forEach(i -> titles.add(i.path("content").path("title").asText("").toLowerCase()));
        assertThat(titles).anyMatch(t -> t.contains("coverage over time"))
                .anyMatch(t -> t.contains("latest status per vm"))
                .anyMatch(t -> t.contains("by actor"))
                .anyMatch(t -> t.contains("failures"))
                .anyMatch(t -> t.contains("time to protect per day"))
                .anyMatch(t -> t.contains("time to protect: the slowest"));
        Matcher placeholder = Pattern.compile("replace\\(\\s*loadTextContent\\([^)]*\\)\\s*,\\s*'([^']+)'").matcher(data);
        if (placeholder.find()) {
            assertThat(Files.readString(json)).as("the placeholder replace() fills in").contains(placeholder.group(1));
        }
    }

    /**
     * Every decision field the workbook and the alerts read ({@code d.<field>}, {@code d["<field>"]}) is a component of
     * the {@link Decision} record, every query over decision lines strips exactly {@link DecisionLog#PREFIX}, and every
     * result it compares with is one the code writes (or {@code exposed}, being added).
     */
    @Test
    void workbookAndAlertQueriesReadOnlyDecisionFields() throws IOException {
        Set<String> components = Arrays.stream(Decision.class.getRecordComponents())
                .map(RecordComponent::getName).collect(Collectors.toCollection(TreeSet::new));
        Set<String> results = new TreeSet<>(EXPOSED_AHEAD);
        results.addAll(Decision.results());

        Map<String, String> queries = decisionQueries();
        assertThat(queries).as("decision queries in the workbook and the alerts").hasSizeGreaterThanOrEqualTo(5);
        Pattern field = Pattern.compile("\\bd\\s*(?:\\.\\s*([A-Za-z_]\\w*)|\\[\\s*[\"']([^\"']+)[\"']\\s*\\])");
        Set<String> used = new TreeSet<>();
        for (Map.Entry<String, String> q : queries.entrySet()) {
            String kql = q.getValue();
            assertThat(kql).as("%s parses the line after the prefix", q.getKey())
                    .contains("\"" + DecisionLog.PREFIX + "\"")
                    .containsPattern("\\bd\\s*=\\s*parse_json\\(");
            Matcher m = field.matcher(kql);
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2);
                used.add(name);
                assertThat(components).as("%s reads d.%s", q.getKey(), name).contains(name);
            }
            assertThat(resultLiterals(kql)).as("results compared in %s", q.getKey()).isSubsetOf(results);
        }
        assertThat(used).as("the queries read the decision").contains("result", "actor", "scope",
                "timeToProtectSeconds");
    }

    /** The time-to-protect views: p50 and p95 per day, and the slowest, over the decision's seconds field. */
    @Test
    void workbookShowsTimeToProtectPercentilesPerDayAndTheSlowest() throws IOException {
        Map<String, String> queries = decisionQueries();
        String perDay = queries.entrySet().stream().filter(e -> e.getKey().contains("Time to protect per day"))
                .map(Map.Entry::getValue).findFirst().orElseThrow(() -> new AssertionError(queries.keySet()));
        assertThat(perDay).contains("d.timeToProtectSeconds").contains("percentile(seconds, 50)")
                .contains("percentile(seconds, 95)").containsPattern("bin\\(timestamp, 1d\\)");
        String slowest = queries.entrySet().stream().filter(e -> e.getKey().contains("Time to protect: the slowest"))
                .map(Map.Entry::getValue).findFirst().orElseThrow(() -> new AssertionError(queries.keySet()));
        assertThat(slowest).contains("d.timeToProtectSeconds").containsPattern("top \\d+ by seconds desc")
                .contains("d.scope");
    }

    @Test
    void decisionFieldCheckCatchesAnUnknownField() {
        Set<String> components = Arrays.stream(Decision.class.getRecordComponents())
                .map(RecordComponent::getName).collect(Collectors.toSet());
        Matcher m = Pattern.compile("\\bd\\s*(?:\\.\\s*([A-Za-z_]\\w*)|\\[\\s*[\"']([^\"']+)[\"']\\s*\\])")
                .matcher("| where tostring(d.resutl) == \"fixed\" | extend a = d[\"actor\"]");
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        assertThat(names).containsExactly("resutl", "actor");
        assertThat(components).doesNotContain("resutl").contains("actor");
        assertThat(resultLiterals("| where tostring(d.result) in (\"a\", \"b\") | where result != \"c\"")).containsExactly("a", "b", "c");
    }

    /** Queries over jitguard.decision lines: the scheduled query rules' and the workbook's, by where they come from. */
    static Map<String, String> decisionQueries() throws IOException {
        Map<String, String> found = new java.util.LinkedHashMap<>();
        Pattern multiline = Pattern.compile("'{3}(.*?)'{3}", Pattern.DOTALL);
        for (Resource rule : resources("Microsoft.Insights/scheduledQueryRules")) {
            Matcher m = multiline.matcher(rule.body());
            int n = 0;
            while (m.find()) {
                found.put(rule + " query " + n++, m.group(1));
            }
        }
        try (Stream<Path> files = Files.walk(infra)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".workbook.json")).toList()) {
                collectQueries(new ObjectMapper().readTree(p.toFile()), root.relativize(p).toString(), found);
            }
        }
        found.values().removeIf(q -> !q.contains("jitguard.decision"));
        return found;
    }

    private static void collectQueries(JsonNode node, String where, Map<String, String> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("query") && e.getValue().isTextual()) {
                    into.put(where + ": " + node.path("title").asText(String.valueOf(into.size())), e.getValue().asText());
                } else {
                    collectQueries(e.getValue(), where, into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectQueries(n, where, into));
        }
    }

    /** Literals a query compares a result with: {@code result in (..)}, {@code !in (..)}, {@code == ".."}, {@code != ".."}. */
    static Set<String> resultLiterals(String kql) {
        Set<String> literals = new TreeSet<>();
        Matcher in = Pattern.compile("result\\)?\\s*!?in\\s*\\(([^)]*)\\)").matcher(kql);
        while (in.find()) {
            Matcher lit = Pattern.compile("\"([^\"]*)\"").matcher(in.group(1));
            while (lit.find()) {
                literals.add(lit.group(1));
            }
        }
        Matcher eq = Pattern.compile("result\\)?\\s*[!=]=\\s*\"([^\"]*)\"").matcher(kql);
        while (eq.find()) {
            literals.add(eq.group(1));
        }
        return literals;
    }

    // ---- the custom role --------------------------------------------------------------------------------------

    @Test
    void customRoleCoversEveryArmOperationAndNothingBeyondTheIssuesList() {
        Resource role = single("Microsoft.Authorization/roleDefinitions");
        String permissions = BicepText.block(role.body(), "permissions")
                .orElseThrow(() -> new AssertionError("no permissions in " + role));
        assertThat(BicepText.objects(permissions)).as("one permission set").hasSize(1);
        String actionsBlock = BicepText.block(permissions, "actions")
                .orElseThrow(() -> new AssertionError("no actions in " + role));
        assertThat(BicepText.onlyLiterals(actionsBlock)).as("actions are literals").isTrue();
        List<String> actions = BicepText.literals(actionsBlock);

        Set<String> required = new LinkedHashSet<>();
        for (ArmOperation op : ArmOperation.values()) {
            required.add(op.action());
        }
        required.add(VM_WRITE);
        Set<String> allowed = new TreeSet<>(ISSUE_ALLOWED_ACTIONS);
        allowed.addAll(required);

        assertThat(actions).doesNotHaveDuplicates();
        assertThat(actions).as("covers every ArmOperation action and %s", VM_WRITE).containsAll(required);
        assertThat(actions).as("nothing beyond the ARM operations and the issue's list").isSubsetOf(allowed);
        assertThat(actions).as("no wildcard").noneMatch(a -> a.contains("*"));
        assertThat(actions).as("no Microsoft.Authorization write but policyAssignments/write")
                .filteredOn(a -> a.toLowerCase().startsWith("microsoft.authorization/") && a.toLowerCase().endsWith("/write"))
                .containsOnly("Microsoft.Authorization/policyAssignments/write");
        for (String key : List.of("notActions", "dataActions", "notDataActions")) {
            BicepText.block(permissions, key).ifPresent(b -> assertThat(BicepText.literals(b)).as(key).isEmpty());
        }
        assertThat(BicepText.block(role.body(), "assignableScopes")).as("assignableScopes").isPresent();
        assertThat(BicepText.stringProperty(role.body(), "type")).contains("CustomRole");
    }

    @Test
    void customRoleIsAssignedToTheAppIdentityAtSubscriptionScopeAndNoPrivilegedRoleAnywhere() {
        for (BicepText b : bicep) {
            for (String privileged : PRIVILEGED_BUILT_IN_ROLES) {
                assertThat(b.text).as("%s must not use built-in role %s", b.fileName(), privileged)
                        .doesNotContainIgnoringCase(privileged);
            }
        }
        BicepText target = bicep.stream()
                .filter(b -> b.targetScope().filter("subscription"::equals).isPresent())
                .filter(b -> !b.resources("Microsoft.Authorization/roleDefinitions").isEmpty()
                        && b.resources("Microsoft.Authorization/roleDefinitions").stream().allMatch(Resource::existing))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no subscription-scope module references the custom role"));
        Resource existingRole = target.resources("Microsoft.Authorization/roleDefinitions").get(0);
        List<Resource> assignments = target.resources("Microsoft.Authorization/roleAssignments").stream()
                .filter(r -> BicepText.rawProperty(r.body(), "roleDefinitionId")
                        .filter(v -> v.equals(existingRole.symbol() + ".id")).isPresent())
                .toList();
        assertThat(assignments).as("%s assigns the custom role", target.fileName()).hasSize(1);
        Resource assignment = assignments.get(0);
        assertThat(assignment.body()).as("assigned at the module's subscription scope").doesNotContainPattern("\\bscope\\s*:");
        assertThat(BicepText.stringProperty(assignment.body(), "principalType")).contains("ServicePrincipal");
        String principalParam = BicepText.rawProperty(assignment.body(), "principalId").orElseThrow();
        assertThat(file("main.bicep").text).as("main.bicep passes the app's identity as %s", principalParam)
                .containsPattern(Pattern.quote(principalParam) + "\\s*:\\s*app\\.outputs\\.principalId");
    }

    // ---- idiom ------------------------------------------------------------------------------------------------

    @Test
    void everyResourceUsesAStableApiVersion() {
        List<Resource> all = bicep.stream().flatMap(b -> b.resources().stream()).toList();
        assertThat(all).isNotEmpty();
        assertThat(all).as("no preview api-versions").allSatisfy(r -> assertThat(r.apiVersion())
                .matches("\\d{4}-\\d{2}-\\d{2}"));
    }

    @Test
    void bicepTextHelperIgnoresCommentsButNotStrings() {
        BicepText b = BicepText.of("t.bicep", """
                // resource fake 'Microsoft.Fake/things@2020-01-01' = {}
                /* 'Microsoft.Compute/virtualMachines/delete' */
                resource real 'Microsoft.Real/things@2024-01-01' = {
                  name: 'a//b'
                  url: 'https://x/${concat('}', 'y')}' // trailing
                  values: [
                    'one'
                    'it\\'s'
                  ]
                }
                """);
        assertThat(b.resources()).extracting(Resource::symbol).containsExactly("real");
        Resource r = b.resources().get(0);
        assertThat(BicepText.stringProperty(r.body(), "name")).contains("a//b");
        assertThat(BicepText.literals(BicepText.block(r.body(), "values").orElseThrow())).containsExactly("one", "it's");
        assertThat(b.text).doesNotContain("virtualMachines/delete").doesNotContain("trailing");
        assertThat(BicepText.onlyLiterals("[ 'a' x ]")).isFalse();
        assertThat(BicepText.onlyLiterals("[ 'a' '${x}' ]")).isFalse();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** A module declaration: symbol, file, its {@code if (...)} condition (null if none) and body. */
    record Module(String symbol, String path, String condition, String body) {
    }

    static List<Module> modules(BicepText b) {
        Matcher m = Pattern.compile("\\bmodule\\s+(\\w+)\\s+'([^']+)'\\s*=\\s*(?:if\\s*\\()?").matcher(b.text);
        List<Module> found = new ArrayList<>();
        while (m.find()) {
            String condition = null;
            int from = m.end();
            if (m.group().trim().endsWith("(")) {
                int open = m.end() - 1;
                int close = BicepText.matchingClose(b.text, open);
                condition = b.text.substring(open + 1, close).replaceAll("\\s+", "");
                from = close + 1;
            }
            int open = b.text.indexOf('{', from);
            found.add(new Module(m.group(1), m.group(2), condition,
                    b.text.substring(open, BicepText.matchingClose(b.text, open) + 1)));
        }
        return found;
    }

    static Module moduleOf(BicepText b, String fileName) {
        List<Module> found = modules(b).stream().filter(m -> m.path().equals(fileName)).toList();
        assertThat(found).as("%s deploys %s once", b.fileName(), fileName).hasSize(1);
        return found.get(0);
    }

    static BicepText targetSubscriptionModule() {
        return file("targetSubscription.bicep");
    }

    /** The variable that says "this subscription reuses an existing topic": {@code var x = !empty(existingSystemTopic)}. */
    static String existingTopicFlag(BicepText b) {
        Matcher m = Pattern.compile("\\bvar\\s+(\\w+)\\s*=\\s*!\\s*empty\\(\\s*existingSystemTopic\\s*\\)").matcher(b.text);
        assertThat(m.find()).as("%s: var <flag> = !empty(existingSystemTopic)", b.fileName()).isTrue();
        return m.group(1);
    }

    /** The body of {@code type <name> = { ... }}. */
    static String typeBody(String text, String name) {
        Matcher m = Pattern.compile("\\btype\\s+" + Pattern.quote(name) + "\\s*=\\s*\\{").matcher(text);
        assertThat(m.find()).as("type %s", name).isTrue();
        int open = m.end() - 1;
        return text.substring(open, BicepText.matchingClose(text, open) + 1);
    }

    static BicepText file(String name) {
        return bicep.stream().filter(b -> b.fileName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " under infra/"));
    }

    static List<Resource> resources(String type) {
        return bicep.stream().flatMap(b -> b.resources(type).stream()).filter(r -> !r.existing()).toList();
    }

    static Resource single(String type) {
        List<Resource> found = resources(type);
        assertThat(found).as("exactly one %s declared (not existing)", type).hasSize(1);
        return found.get(0);
    }

    static List<String> resourceNames(String type) {
        return resources(type).stream()
                .map(r -> BicepText.stringProperty(r.body(), "name").orElse("<expression>"))
                .toList();
    }

    static Resource functionApp() {
        List<Resource> apps = resources("Microsoft.Web/sites").stream()
                .filter(r -> BicepText.stringProperty(r.body(), "kind").orElse("").contains("functionapp"))
                .toList();
        assertThat(apps).as("one function app").hasSize(1);
        return apps.get(0);
    }

    /**
     * Every app setting object the site may get, as one array block: {@code appSettings: [..]} as it is, or
     * {@code appSettings: concat([..], optionalSettings)} with each array literal and each variable's arrays (for
     * {@code var optionalSettings = cond ? [] : [..]}) gathered.
     */
    static String appSettingsBlock() {
        Resource site = functionApp();
        Optional<String> literal = BicepText.block(site.body(), "appSettings");
        if (literal.isPresent()) {
            return literal.get();
        }
        Matcher concat = Pattern.compile("(?<![\\w.])appSettings\\s*:\\s*concat\\(").matcher(site.body());
        if (!concat.find()) {
            throw new AssertionError("no siteConfig.appSettings array or concat(...) in " + site);
        }
        String body = site.body();
        int open = concat.end() - 1;
        int close = BicepText.matchingClose(body, open);
        StringBuilder all = new StringBuilder("[\n");
        for (int i = open + 1; i < close; i++) {
            char c = body.charAt(i);
            if (c == '\'') {
                i = BicepText.skipString(body, i) - 1;
            } else if (c == '[') {
                int end = BicepText.matchingClose(body, i);
                BicepText.objects(body.substring(i, end + 1)).forEach(o -> all.append(o).append('\n'));
                i = end;
            } else if (Character.isJavaIdentifierStart(c)) {
                int end = i;
                while (end < close && Character.isJavaIdentifierPart(body.charAt(end))) {
                    end++;
                }
                String word = body.substring(i, end);
                for (String array : BicepText.blocksIn(varExpression(site.file().text, word))) {
                    BicepText.objects(array).forEach(o -> all.append(o).append('\n'));
                }
                i = end - 1;
            }
        }
        return all.append(']').toString();
    }

    /** The expression of {@code var <name> = <expression>} (brackets may span lines), or "" if there is none. */
    static String varExpression(String text, String name) {
        Matcher m = Pattern.compile("(?m)^var\\s+" + Pattern.quote(name) + "\\s*=\\s*").matcher(text);
        if (!m.find()) {
            return "";
        }
        int i = m.end();
        while (i < text.length() && text.charAt(i) != '\n') {
            char c = text.charAt(i);
            if (c == '\'') {
                i = BicepText.skipString(text, i);
            } else if (c == '[' || c == '{' || c == '(') {
                i = BicepText.matchingClose(text, i) + 1;
            } else {
                i++;
            }
        }
        return text.substring(m.end(), i);
    }

    static List<String> appSettingNames() {
        return BicepText.objects(appSettingsBlock()).stream()
                .map(o -> BicepText.stringProperty(o, "name")
                        .orElseThrow(() -> new AssertionError("app setting without a literal name: " + o)))
                .toList();
    }

    static String settingValue(String block, String name) {
        return BicepText.objects(block).stream()
                .filter(o -> BicepText.stringProperty(o, "name").filter(name::equals).isPresent())
                .map(o -> BicepText.rawProperty(o, "value").orElseThrow())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no app setting " + name));
    }

    static List<Resource> eventSubscriptions() {
        List<Resource> subs = resources("Microsoft.EventGrid/systemTopics/eventSubscriptions");
        assertThat(subs).as("event subscriptions declared").isNotEmpty();
        return subs;
    }

    /** Function names in AzureFunction destinations: {@code '<app id>/functions/<Name>'}. */
    static Set<String> bicepFunctionNames() {
        Pattern p = Pattern.compile("/functions/([A-Za-z][A-Za-z0-9_-]*)'");
        Set<String> names = new TreeSet<>();
        for (Resource sub : eventSubscriptions()) {
            String destination = BicepText.block(sub.body(), "destination").orElse("");
            Matcher m = p.matcher(BicepText.rawProperty(destination, "resourceId").orElse(""));
            if (!m.find()) {
                throw new AssertionError("destination of " + sub + " names no function literally");
            }
            names.add(m.group(1));
        }
        return names;
    }

    @SuppressWarnings("unused")
    private static String joined(Set<String> s) {
        return s.stream().collect(Collectors.joining(", "));
    }

    @SuppressWarnings("unused")
    private static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
