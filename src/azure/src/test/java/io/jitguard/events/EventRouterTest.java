package io.jitguard.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jitguard.scope.MonitoringScope;
import io.jitguard.scope.ResourceGroupScope;
import io.jitguard.scope.VmScope;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventRouterTest {
    static final String SUB = "5f1d6a4e-1c2b-4b3a-9d8e-0a1b2c3d4e5f";
    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static final String VM = "/subscriptions/" + SUB + "/resourceGroups/app-rg/providers/Microsoft.Compute/virtualMachines/web-01";
    static final String POLICY = "/subscriptions/" + SUB
            + "/resourceGroups/app-rg/providers/Microsoft.Security/locations/westeurope/jitNetworkAccessPolicies/default";
    static final String ASSIGNMENT = "/subscriptions/" + SUB
            + "/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn";

    /** The data of a Microsoft.Resources.Resource*Success event, with every documented field. */
    static String data(String operation, String uri, String sub) {
        return """
                {
                  "authorization": {
                    "scope": "%2$s",
                    "action": "%1$s",
                    "evidence": {"role": "Contributor", "roleAssignmentScope": "/subscriptions/%3$s",
                      "roleAssignmentId": "a1b2c3", "roleDefinitionId": "b24988ac-6180-42a0-ab88-20f7382dd24c",
                      "principalId": "11111111-2222-3333-4444-555555555555", "principalType": "User"}
                  },
                  "claims": {
                    "aud": "https://management.core.windows.net/",
                    "iss": "https://sts.windows.net/%4$s/",
                    "appid": "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
                    "name": "Alice Admin",
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn": "alice@contoso.com",
                    "http://schemas.microsoft.com/identity/claims/objectidentifier": "11111111-2222-3333-4444-555555555555",
                    "http://schemas.microsoft.com/identity/claims/tenantid": "%4$s"
                  },
                  "correlationId": "0d8c3c7e-2a57-4b6f-9a53-7d2e1c5a9f10",
                  "httpRequest": {"clientRequestId": "c3f5", "clientIpAddress": "203.0.113.7", "method": "PUT", "url": "https://management.azure.com%2$s?api-version=2024-07-01"},
                  "resourceProvider": "%5$s",
                  "resourceUri": "%2$s",
                  "operationName": "%1$s",
                  "status": "Succeeded",
                  "subscriptionId": "%3$s",
                  "tenantId": "%4$s"
                }""".formatted(operation, uri, sub, TENANT, operation.substring(0, operation.indexOf('/')));
    }

    static String eventGrid(String type, String operation, String uri) {
        return """
                {
                  "id": "4b2a6c1e-0000-0000-0000-000000000001",
                  "topic": "/subscriptions/%4$s",
                  "subject": "%3$s",
                  "eventType": "%1$s",
                  "eventTime": "2026-11-22T10:15:30.1234567Z",
                  "data": %5$s,
                  "dataVersion": "2",
                  "metadataVersion": "1"
                }""".formatted(type, operation, uri, SUB, data(operation, uri, SUB));
    }

    static String cloudEvent(String type, String operation, String uri) {
        return """
                {
                  "specversion": "1.0",
                  "id": "4b2a6c1e-0000-0000-0000-000000000002",
                  "source": "/subscriptions/%4$s",
                  "subject": "%3$s",
                  "type": "%1$s",
                  "time": "2026-11-22T10:15:30.1234567Z",
                  "datacontenttype": "application/json",
                  "data": %5$s
                }""".formatted(type, operation, uri, SUB, data(operation, uri, SUB));
    }

    @Test
    void vmWriteBecomesVmScopeWithActor() {
        EventBatch batch = EventRouter.parse(eventGrid("Microsoft.Resources.ResourceWriteSuccess",
                RoutedOperations.VM_WRITE, VM));
        assertThat(batch.events()).hasSize(1);
        RoutedEvent e = batch.events().get(0);
        assertThat(e.scope()).contains(new VmScope(SUB, "app-rg", "web-01"));
        assertThat(e.ignoredReason()).isEmpty();
        assertThat(e.eventId()).isEqualTo("4b2a6c1e-0000-0000-0000-000000000001");
        assertThat(e.eventType()).isEqualTo("Microsoft.Resources.ResourceWriteSuccess");
        assertThat(e.operationName()).isEqualTo(RoutedOperations.VM_WRITE);
        assertThat(e.subject()).isEqualTo(VM);
        assertThat(e.actor()).isEqualTo("Alice Admin");
        assertThat(e.actorObjectId()).isEqualTo("11111111-2222-3333-4444-555555555555");
        assertThat(batch.scopes()).containsExactly(new VmScope(SUB, "app-rg", "web-01"));
    }

    @Test
    void vmDeleteBecomesTheResourceGroupScope() {
        String vm = "/subscriptions/" + SUB + "/resourceGroups/app-rg/providers/Microsoft.Compute/virtualMachines/vm1";
        assertThat(EventRouter.parse(eventGrid("Microsoft.Resources.ResourceDeleteSuccess",
                RoutedOperations.VM_DELETE, vm)).scopes()).containsExactly(new ResourceGroupScope(SUB, "app-rg"));
    }

    @Test
    void jitPolicyWriteAndDeleteBecomeResourceGroupAndLocation() {
        ResourceGroupScope expected = new ResourceGroupScope(SUB, "app-rg", Optional.of("westeurope"));
        assertThat(EventRouter.parse(eventGrid("Microsoft.Resources.ResourceWriteSuccess",
                RoutedOperations.JIT_POLICY_WRITE, POLICY)).scopes()).containsExactly(expected);
        assertThat(EventRouter.parse(eventGrid("Microsoft.Resources.ResourceDeleteSuccess",
                RoutedOperations.JIT_POLICY_DELETE, POLICY)).scopes()).containsExactly(expected);
    }

    @Test
    void securityCenterBuiltInAssignmentBecomesMonitoringScope() {
        assertThat(EventRouter.parse(eventGrid("Microsoft.Resources.ResourceWriteSuccess",
                RoutedOperations.ASSIGNMENT_WRITE, ASSIGNMENT)).scopes()).containsExactly(new MonitoringScope(SUB));
        assertThat(EventRouter.parse(cloudEvent("Microsoft.Resources.ResourceDeleteSuccess",
                RoutedOperations.ASSIGNMENT_DELETE, ASSIGNMENT.toLowerCase())).scopes())
                .containsExactly(new MonitoringScope(SUB));
    }

    @Test
    void tagWritesAndDeletesOnAVmOrAResourceGroupBecomeThatVmOrGroup() {
        String tags = "/providers/Microsoft.Resources/tags/default";
        assertThat(EventRouter.parse(eventGrid("Microsoft.Resources.ResourceWriteSuccess",
                RoutedOperations.TAGS_WRITE, VM + tags)).scopes()).containsExactly(new VmScope(SUB, "app-rg", "web-01"));
        assertThat(EventRouter.parse(cloudEvent("Microsoft.Resources.ResourceDeleteSuccess",
                RoutedOperations.TAGS_DELETE, VM + tags.toLowerCase())).scopes())
                .containsExactly(new VmScope(SUB, "app-rg", "web-01"));
        assertThat(EventRouter.parse(eventGrid("Microsoft.Resources.ResourceWriteSuccess",
                RoutedOperations.TAGS_WRITE, "/subscriptions/" + SUB + "/resourceGroups/app-rg" + tags)).scopes())
                .containsExactly(new ResourceGroupScope(SUB, "app-rg"));
    }

    @Test
    void tagsOfAnythingElseAreIgnored_andATagEventNamingNoTagsResourceIsRejected() {
        String tags = "/providers/Microsoft.Resources/tags/default";
        for (String owner : java.util.List.of("/subscriptions/" + SUB, "/subscriptions/" + SUB
                + "/resourceGroups/app-rg/providers/Microsoft.Network/networkInterfaces/nic-1")) {
            EventBatch batch = EventRouter.parse(eventGrid("Microsoft.Resources.ResourceWriteSuccess",
                    RoutedOperations.TAGS_WRITE, owner + tags));
            assertThat(batch.scopes()).as(owner).isEmpty();
            assertThat(batch.events().get(0).ignoredReason().orElseThrow()).contains("not a VM's or a resource group's");
        }
        assertInvalid(eventGrid("Microsoft.Resources.ResourceWriteSuccess", RoutedOperations.TAGS_WRITE, VM),
                "is not a tags resource");
    }

    @Test
    void otherAssignmentsAreIgnored() {
        EventBatch batch = EventRouter.parse(eventGrid("Microsoft.Resources.ResourceWriteSuccess",
                RoutedOperations.ASSIGNMENT_WRITE, "/subscriptions/" + SUB
                        + "/providers/Microsoft.Authorization/policyAssignments/my-tagging"));
        assertThat(batch.scopes()).isEmpty();
        assertThat(batch.events().get(0).ignoredReason()).contains("policy assignment my-tagging is not SecurityCenterBuiltIn");
        EventBatch rgLevel = EventRouter.parse(eventGrid("Microsoft.Resources.ResourceWriteSuccess",
                RoutedOperations.ASSIGNMENT_WRITE, "/subscriptions/" + SUB
                        + "/resourceGroups/rg/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn"));
        assertThat(rgLevel.events().get(0).ignoredReason().orElseThrow()).contains("not at a subscription");
    }

    @Test
    void cloudEventsAreRoutedTheSameWay() {
        EventBatch batch = EventRouter.parse(cloudEvent("Microsoft.Resources.ResourceWriteSuccess",
                RoutedOperations.VM_WRITE, VM));
        assertThat(batch.scopes()).containsExactly(new VmScope(SUB, "app-rg", "web-01"));
        assertThat(batch.events().get(0).eventId()).isEqualTo("4b2a6c1e-0000-0000-0000-000000000002");
        assertThat(batch.events().get(0).actor()).isEqualTo("Alice Admin");
    }

    @Test
    void cloudEventDataAsStringHoldingAnObjectIsAccepted() {
        String data = data(RoutedOperations.VM_WRITE, VM, SUB).replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("\n", " ");
        String json = """
                {"specversion":"1.0","id":"x","source":"/subscriptions/%s","type":"Microsoft.Resources.ResourceWriteSuccess",
                 "subject":"%s","data":"%s"}""".formatted(SUB, VM, data);
        assertThat(EventRouter.parse(json).scopes()).containsExactly(new VmScope(SUB, "app-rg", "web-01"));
    }

    @Test
    void arraysCollapseDuplicatesAndKeepIgnoredReasons() {
        String storage = "/subscriptions/" + SUB + "/resourceGroups/app-rg/providers/Microsoft.Storage/storageAccounts/logs";
        String json = "[" + eventGrid("Microsoft.Resources.ResourceWriteSuccess", RoutedOperations.VM_WRITE, VM) + ","
                + eventGrid("Microsoft.Resources.ResourceWriteSuccess", RoutedOperations.VM_WRITE, VM.toUpperCase()
                .replace(SUB.toUpperCase(), SUB)) + ","
                + eventGrid("Microsoft.Resources.ResourceWriteSuccess", "Microsoft.Storage/storageAccounts/write", storage) + ","
                + eventGrid("Microsoft.Resources.ResourceActionSuccess", "Microsoft.Compute/virtualMachines/start/action", VM) + ","
                + eventGrid("Microsoft.Resources.ResourceWriteSuccess", RoutedOperations.JIT_POLICY_WRITE, POLICY) + "]";
        EventBatch batch = EventRouter.parse(json);
        assertThat(batch.events()).hasSize(5);
        assertThat(batch.events()).extracting(RoutedEvent::index).containsExactly(0, 1, 2, 3, 4);
        assertThat(batch.events().get(2).ignoredReason())
                .contains("operation Microsoft.Storage/storageAccounts/write is not routed");
        assertThat(batch.events().get(3).ignoredReason())
                .contains("event type Microsoft.Resources.ResourceActionSuccess is not routed");
        assertThat(batch.ignored()).hasSize(2);
        assertThat(batch.scopes()).containsExactly(new VmScope(SUB, "app-rg", "web-01"),
                new ResourceGroupScope(SUB, "app-rg", Optional.of("westeurope")));
    }

    @Test
    void actorFallsBackToUpnThenAppId() {
        String json = eventGrid("Microsoft.Resources.ResourceWriteSuccess", RoutedOperations.VM_WRITE, VM)
                .replace("\"name\": \"Alice Admin\",", "");
        assertThat(EventRouter.parse(json).events().get(0).actor()).isEqualTo("alice@contoso.com");
        String app = json.replace("\"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn\": \"alice@contoso.com\",", "");
        assertThat(EventRouter.parse(app).events().get(0).actor()).isEqualTo("04b07795-8ddb-461a-bbee-02f9e1bf7b46");
    }

    @Test
    void subjectIsUsedWhenResourceUriIsAbsent() {
        String json = eventGrid("Microsoft.Resources.ResourceWriteSuccess", RoutedOperations.VM_WRITE, VM)
                .replace("\"resourceUri\": \"" + VM + "\",", "");
        assertThat(EventRouter.parse(json).scopes()).containsExactly(new VmScope(SUB, "app-rg", "web-01"));
    }

    static final String OK = "Microsoft.Resources.ResourceWriteSuccess";

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "\"id\": \"4b2a6c1e-0000-0000-0000-000000000001\",|event 0: field id is missing",
            "\"eventTime\": \"2026-11-22T10:15:30.1234567Z\",|event 0: field eventTime is missing",
            "\"dataVersion\": \"2\",|event 0: field dataVersion is missing",
            "\"eventType\": \"" + OK + "\",|event 0: field eventType is missing",
    })
    void missingEnvelopeFieldsAreRejected(String remove, String message) {
        String json = eventGrid(OK, RoutedOperations.VM_WRITE, VM).replace(remove, "");
        assertThatThrownBy(() -> EventRouter.parse(json)).isInstanceOf(InvalidEventException.class)
                .hasMessage(message);
    }

    @Test
    void malformedInputsAreRejectedWithOneLineReasons() {
        String good = eventGrid(OK, RoutedOperations.VM_WRITE, VM);
        assertInvalid("", "empty request body");
        assertInvalid("{\"id\":", "malformed JSON");
        assertInvalid(good + " trailing", "malformed JSON");
        assertInvalid("42", "expected an event object or an array of events");
        assertInvalid("[]", "the event array is empty");
        assertInvalid("[" + good + ", 7]", "event 1: is not a JSON object");
        assertInvalid(good.replace("\"dataVersion\": \"2\"", "\"dataVersion\": 2"), "event 0: field dataVersion must be a string");
        assertInvalid(good.replace("2026-11-22T10:15:30.1234567Z", "yesterday"), "event 0: field eventTime is not an RFC 3339 timestamp");
        assertInvalid(good.replace("\"data\": {", "\"data\": [{").replace("\"dataVersion\"", "\"x\": 1}], \"dataVersion\""),
                "malformed JSON");
        assertInvalid(eventGrid(OK, RoutedOperations.VM_WRITE, VM).replace("\"operationName\": \"" + RoutedOperations.VM_WRITE + "\",", ""),
                "event 0: field data.operationName is missing");
        assertInvalid(good.replace("\"status\": \"Succeeded\"", "\"status\": true"), "event 0: field data.status must be a string");
        assertInvalid(good.replace("\"claims\": {", "\"claims\": \"x\", \"c\": {"), "event 0: field data.claims must be an object");
        assertInvalid(cloudEvent(OK, RoutedOperations.VM_WRITE, VM).replace("\"1.0\"", "\"0.3\""),
                "event 0: field specversion must be \"1.0\"");
        assertInvalid(cloudEvent(OK, RoutedOperations.VM_WRITE, VM).replace("\"source\": \"/subscriptions/" + SUB + "\",", ""),
                "event 0: field source is missing");
        assertInvalid("[" + good + "," + cloudEvent(OK, RoutedOperations.VM_WRITE, VM).replace("\"type\": \"" + OK + "\",", "") + "]",
                "event 1: field type is missing");
    }

    @Test
    void dataMustBeAnObject() {
        String json = """
                {"id":"1","subject":"%s","eventType":"%s","eventTime":"2026-11-22T10:15:30Z","dataVersion":"2","data":5}"""
                .formatted(VM, OK);
        assertInvalid(json, "event 0: field data must be an object");
        assertInvalid(json.replace(",\"data\":5", ""), "event 0: field data is missing");
    }

    @Test
    void resourceUriMustBeAValidScopeOfTheRightKind() {
        assertInvalid(eventGrid(OK, RoutedOperations.VM_WRITE, VM.replace("app-rg", "app-rg/../other")),
                "event 0: data.resourceUri: resource id has a '..' segment");
        assertInvalid(eventGrid(OK, RoutedOperations.VM_WRITE, VM.replace("web-01", "web%2F01")),
                "event 0: data.resourceUri: resource id contains percent-encoding");
        assertInvalid(eventGrid(OK, RoutedOperations.VM_WRITE, "/subscriptions/" + SUB + "/resourceGroups/app-rg"),
                "event 0: data.resourceUri is not a virtual machine");
        assertInvalid(eventGrid(OK, RoutedOperations.JIT_POLICY_WRITE, VM), "event 0: data.resourceUri is not a JIT network access policy");
    }

    @Test
    void subscriptionOfTheResourceMustMatchData() {
        String other = "0c0c0c0c-1111-2222-3333-444444444444";
        String json = eventGrid(OK, RoutedOperations.VM_WRITE, VM)
                .replace("\"subscriptionId\": \"" + SUB + "\"", "\"subscriptionId\": \"" + other + "\"");
        assertInvalid(json, "event 0: data.subscriptionId " + other + " does not match data.resourceUri");
    }

    @Test
    void oversizedAndTooDeepInputsAreRejected() {
        assertInvalid(" ".repeat(EventRouter.MAX_BYTES) + "{}", "larger than");
        String deep = "[".repeat(200) + "]".repeat(200);
        assertInvalid(deep, "malformed JSON");
        String good = eventGrid(OK, RoutedOperations.VM_WRITE, VM);
        String deepData = good.replace("\"status\": \"Succeeded\"", "\"extra\": " + "{\"a\":".repeat(60) + "1" + "}".repeat(60)
                + ", \"status\": \"Succeeded\"");
        assertThatThrownBy(() -> EventRouter.parse(deepData)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("malformed JSON").hasMessageContaining("nesting depth");
    }

    @Test
    void duplicateKeysAreRejected() {
        String json = eventGrid(OK, RoutedOperations.VM_WRITE, VM).replace("\"dataVersion\": \"2\"",
                "\"dataVersion\": \"2\", \"dataVersion\": \"3\"");
        assertInvalid(json, "malformed JSON");
    }

    private static void assertInvalid(String json, String message) {
        assertThatThrownBy(() -> EventRouter.parse(json)).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void everyRoutedOperationHasExactlyOneRouteAndNothingElseIsRouted() {
        assertThat(EventRouter.routedOperations()).containsExactlyInAnyOrderElementsOf(
                RoutedOperations.ALL.stream().map(o -> o.toLowerCase(java.util.Locale.ROOT)).toList());
    }
}
