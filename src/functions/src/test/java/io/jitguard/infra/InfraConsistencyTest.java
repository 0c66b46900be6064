package io.jitguard.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jitguard.arm.ArmOperation;
import io.jitguard.baseline.Settings;
import io.jitguard.events.RoutedOperations;
import io.jitguard.infra.BicepText.Resource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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

    static final String STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    static final String SWEEP_QUEUE = "jitguard-sweep";
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
        assertThat(BicepText.stringProperty(runtime, "version")).contains("17");
        assertThat(BicepText.rawProperty(site.body(), "type").orElse(""))
                .as("system-assigned identity").contains("SystemAssigned");

        // Flex Consumption rejects these; the runtime comes from functionAppConfig.runtime.
        assertThat(appSettingNames()).doesNotContain("FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION",
                "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING");

        // The Maven plugin that packages the app must agree.
        String pom = Files.readString(root.resolve("src/functions/pom.xml"));
        assertThat(pom).as("src/functions/pom.xml functions runtime").contains("<os>linux</os>")
                .contains("<javaVersion>17</javaVersion>");
        assertThat(Files.readString(root.resolve("pom.xml"))).contains("<maven.compiler.release>17</maven.compiler.release>");
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
                + "'\\s*=\\s*\\[\\s*for\\s+(\\w+)\\s+in\\s+targetSubscriptionIds\\s*:\\s*\\{").matcher(main);
        assertThat(loop.find()).as("main.bicep loops over targetSubscriptionIds deploying %s", target.fileName()).isTrue();
        int open = loop.end() - 1;
        String body = main.substring(open, BicepText.matchingClose(main, open) + 1);
        assertThat(body).as("each instance is scoped to its subscription")
                .containsPattern("scope\\s*:\\s*subscription\\(\\s*" + loop.group(1) + "\\s*\\)");
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
                String values = BicepText.block(f, "values").orElse("[]");
                assertThat(BicepText.onlyLiterals(values)).as("filter values are literals: %s", f).isTrue();
                List<String> literals = BicepText.literals(values);
                totalValues += Math.max(1, literals.size());
                if (BicepText.stringProperty(f, "key").filter("data.operationName"::equals).isPresent()) {
                    assertThat(operationNames).as("one filter on data.operationName").isNull();
                    assertThat(BicepText.stringProperty(f, "operatorType")).contains("StringIn");
                    operationNames = literals;
                }
            }
            assertThat(operationNames).as("a StringIn filter on data.operationName in %s", sub).isNotNull();
            assertThat(operationNames).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(RoutedOperations.ALL);
            assertThat(totalValues).as("Event Grid allows at most %d advanced filter values", EVENT_GRID_MAX_FILTER_VALUES)
                    .isLessThanOrEqualTo(EVENT_GRID_MAX_FILTER_VALUES);
        }
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

    static String appSettingsBlock() {
        Resource site = functionApp();
        return BicepText.block(site.body(), "appSettings")
                .orElseThrow(() -> new AssertionError("no siteConfig.appSettings in " + site));
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
