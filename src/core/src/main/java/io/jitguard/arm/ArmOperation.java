package io.jitguard.arm;

/**
 * Every ARM call jitguard makes: HTTP method, path template, api-version and the RBAC action it needs.
 * The adapter sends requests only through these; infra's custom role is checked against {@link #action()}.
 */
public enum ArmOperation {
    LIST_SUBSCRIPTIONS("GET", "/subscriptions", "2022-12-01", "Microsoft.Resources/subscriptions/read"),
    GET_SUBSCRIPTION("GET", "/subscriptions/{sub}", "2022-12-01", "Microsoft.Resources/subscriptions/read"),
    LIST_RESOURCE_GROUPS("GET", "/subscriptions/{sub}/resourcegroups", "2021-04-01",
            "Microsoft.Resources/subscriptions/resourceGroups/read"),
    GET_RESOURCE_GROUP("GET", "/subscriptions/{sub}/resourcegroups/{rg}", "2021-04-01",
            "Microsoft.Resources/subscriptions/resourceGroups/read"),
    LIST_VMS("GET", "{scope}/providers/Microsoft.Compute/virtualMachines", "2024-07-01",
            "Microsoft.Compute/virtualMachines/read"),
    GET_VM("GET", "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/virtualMachines/{name}",
            "2024-07-01", "Microsoft.Compute/virtualMachines/read"),
    LIST_CLASSIC_VMS("GET", "{scope}/providers/Microsoft.ClassicCompute/virtualMachines", "2017-04-01",
            "Microsoft.ClassicCompute/virtualMachines/read"),
    LIST_NICS("GET", "{scope}/providers/Microsoft.Network/networkInterfaces", "2024-05-01",
            "Microsoft.Network/networkInterfaces/read"),
    GET_NIC("GET", "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/networkInterfaces/{name}",
            "2024-05-01", "Microsoft.Network/networkInterfaces/read"),
    LIST_VNETS("GET", "{scope}/providers/Microsoft.Network/virtualNetworks", "2024-05-01",
            "Microsoft.Network/virtualNetworks/read"),
    GET_SUBNET("GET",
            "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/subnets/{name}",
            "2024-05-01", "Microsoft.Network/virtualNetworks/subnets/read"),
    LIST_NSGS("GET", "{scope}/providers/Microsoft.Network/networkSecurityGroups", "2024-05-01",
            "Microsoft.Network/networkSecurityGroups/read"),
    GET_NSG("GET",
            "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/networkSecurityGroups/{name}",
            "2024-05-01", "Microsoft.Network/networkSecurityGroups/read"),
    /**
     * Azure Virtual Network Manager security admin rules in effect on a VNet: a POST that reads, body
     * {@code {"skipToken": …}}, answer {@code {"value": [...], "skipToken": …}} ({@link Arm#postPages}).
     */
    LIST_EFFECTIVE_ADMIN_RULES("POST",
            "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/listNetworkManagerEffectiveSecurityAdminRules",
            "2024-05-01", "Microsoft.Network/virtualNetworks/listNetworkManagerEffectiveSecurityAdminRules/action"),
    LIST_FIREWALLS("GET", "{scope}/providers/Microsoft.Network/azureFirewalls", "2024-05-01",
            "Microsoft.Network/azureFirewalls/read"),
    GET_PRICING("GET", "/subscriptions/{sub}/providers/Microsoft.Security/pricings/VirtualMachines", "2024-01-01",
            "Microsoft.Security/pricings/read"),
    LIST_JIT_POLICIES("GET", "{scope}/providers/Microsoft.Security/[locations/{loc}/]jitNetworkAccessPolicies",
            "2020-01-01", "Microsoft.Security/locations/jitNetworkAccessPolicies/read"),
    GET_JIT_POLICY("GET",
            "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Security/locations/{loc}/jitNetworkAccessPolicies/{name}",
            "2020-01-01", "Microsoft.Security/locations/jitNetworkAccessPolicies/read"),
    PUT_JIT_POLICY("PUT",
            "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Security/locations/{loc}/jitNetworkAccessPolicies/{name}",
            "2020-01-01", "Microsoft.Security/locations/jitNetworkAccessPolicies/write"),
    GET_POLICY_ASSIGNMENT("GET", "/subscriptions/{sub}/providers/Microsoft.Authorization/policyAssignments/{name}",
            "2025-03-01", "Microsoft.Authorization/policyAssignments/read"),
    PUT_POLICY_ASSIGNMENT("PUT", "/subscriptions/{sub}/providers/Microsoft.Authorization/policyAssignments/{name}",
            "2025-03-01", "Microsoft.Authorization/policyAssignments/write"),
    /** No stable api-version exists for exemptions; 2022-07-01-preview is the one the Azure SDKs bundle. */
    LIST_POLICY_EXEMPTIONS("GET", "/subscriptions/{sub}/providers/Microsoft.Authorization/policyExemptions",
            "2022-07-01-preview", "Microsoft.Authorization/policyExemptions/read"),
    /**
     * Resource Graph's query, sent by azure-resourcemanager-resourcegraph (1.1.0 sends 2021-03-01) to size the
     * nightly sweep; the subscriptions go in the body. Not sent through {@link Arm}.
     */
    QUERY_RESOURCE_GRAPH("POST", "/providers/Microsoft.ResourceGraph/resources", "2021-03-01",
            "Microsoft.ResourceGraph/resources/read");

    private final String method;
    private final String pathTemplate;
    private final String apiVersion;
    private final String action;
    private final ArmPathTemplate template;

    ArmOperation(String method, String pathTemplate, String apiVersion, String action) {
        this.method = method;
        this.pathTemplate = pathTemplate;
        this.apiVersion = apiVersion;
        this.action = action;
        this.template = ArmPathTemplate.parse(pathTemplate);
    }

    public String method() {
        return method;
    }

    public String pathTemplate() {
        return pathTemplate;
    }

    public String apiVersion() {
        return apiVersion;
    }

    /** The Azure RBAC action this call needs. */
    public String action() {
        return action;
    }

    /**
     * The ARM path of this call: the template's placeholders filled in order with {@code values} (an optional
     * {@code [...]} part only when a value is given for it). {@code {scope}} takes a subscription or resource group
     * id; every other placeholder one path segment.
     *
     * @throws IllegalArgumentException naming the placeholder when a value is missing, extra or not a segment
     */
    public String path(String... values) {
        return template.fill(name(), values);
    }

    /** Whether {@code path} is a path of this call (case-insensitive, as ARM compares). */
    public boolean matches(String path) {
        return template.matches(path);
    }

    /**
     * What goes on the wire after the endpoint: the path, checked against the template and percent-encoded segment by
     * segment, and the api-version.
     *
     * @throws IllegalArgumentException when {@code path} is not a path of this call
     */
    public String requestPath(String path) {
        if (path == null || !template.matches(path)) {
            throw new IllegalArgumentException(name() + " does not take the path " + path + " (" + pathTemplate + ")");
        }
        return ArmPathTemplate.encode(path) + "?api-version=" + apiVersion;
    }
}
