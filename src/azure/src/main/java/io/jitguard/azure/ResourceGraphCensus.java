package io.jitguard.azure;

import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.resourcegraph.ResourceGraphManager;
import com.azure.resourcemanager.resourcegraph.models.QueryRequest;
import com.azure.resourcemanager.resourcegraph.models.QueryRequestOptions;
import com.azure.resourcemanager.resourcegraph.models.QueryResponse;
import com.azure.resourcemanager.resourcegraph.models.ResultFormat;
import io.jitguard.read.EstateCensus;
import io.jitguard.read.VmCount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@link EstateCensus} over Azure Resource Graph (azure-resourcemanager-resourcegraph), on the very pipeline of
 * the ARM client it is built from: same credential, endpoint, retries, ARM budget and HTTP client. One query per
 * {@value #MAX_SUBSCRIPTIONS} subscriptions, {@value #PAGE_ROWS} rows a page, following {@code $skipToken}.
 */
public final class ResourceGraphCensus implements EstateCensus {
    /** Resource Graph's guidance: batch subscriptions under 300 per query. */
    public static final int MAX_SUBSCRIPTIONS = 300;
    /** Resource Graph's page maximum ({@code $top}). */
    public static final int PAGE_ROWS = 1000;
    static final int MAX_PAGES = 10_000;
    /** VMs per subscription and resource group; ordered so that pages are stable. */
    public static final String VM_COUNT_QUERY = "resources"
            + " | where type =~ 'microsoft.compute/virtualmachines'"
            + " | summarize vms=count() by subscriptionId, resourceGroup"
            + " | order by subscriptionId asc, resourceGroup asc";

    private final ResourceGraphManager manager;

    private ResourceGraphCensus(ResourceGraphManager manager) {
        this.manager = manager;
    }

    /** Over the pipeline and endpoint of {@code arm}. */
    public static ResourceGraphCensus over(SdkArm arm) {
        String endpoint = arm.endpoint().toString();
        String host = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        AzureEnvironment environment = new AzureEnvironment(Map.of(
                "resourceManagerEndpointUrl", host,
                "managementEndpointUrl", endpoint));
        return new ResourceGraphCensus(ResourceGraphManager.authenticate(arm.pipeline(),
                new AzureProfile(null, null, environment)));
    }

    @Override
    public List<VmCount> vmCounts(List<String> subscriptionIds) {
        List<VmCount> counts = new ArrayList<>();
        for (int from = 0; from < subscriptionIds.size(); from += MAX_SUBSCRIPTIONS) {
            List<String> batch = subscriptionIds.subList(from, Math.min(subscriptionIds.size(), from + MAX_SUBSCRIPTIONS));
            query(batch, counts);
        }
        return counts;
    }

    private void query(List<String> subscriptions, List<VmCount> into) {
        String skipToken = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            QueryRequestOptions options = new QueryRequestOptions().withTop(PAGE_ROWS)
                    .withResultFormat(ResultFormat.OBJECT_ARRAY);
            if (skipToken != null) {
                options.withSkipToken(skipToken);
            }
            QueryResponse response;
            try {
                response = manager.resourceProviders().resources(new QueryRequest()
                        .withSubscriptions(subscriptions).withQuery(VM_COUNT_QUERY).withOptions(options));
            } catch (RuntimeException e) {
                throw new CensusFailedException("Resource Graph query failed: " + reason(e), e);
            }
            rows(response.data(), into);
            skipToken = response.skipToken();
            if (skipToken == null || skipToken.isEmpty()) {
                return;
            }
        }
        throw new CensusFailedException("Resource Graph answered more than " + MAX_PAGES + " pages", null);
    }

    private static void rows(Object data, List<VmCount> into) {
        if (!(data instanceof List<?> rows)) {
            throw new CensusFailedException("Resource Graph's data is not an object array", null);
        }
        for (Object row : rows) {
            if (!(row instanceof Map<?, ?> cells)
                    || !(cells.get("subscriptionId") instanceof String sub)
                    || !(cells.get("resourceGroup") instanceof String rg)
                    || !(cells.get("vms") instanceof Number vms)) {
                throw new CensusFailedException("Resource Graph answered a row without subscriptionId,"
                        + " resourceGroup and vms", null);
            }
            try {
                into.add(new VmCount(sub, rg, vms.longValue()));
            } catch (IllegalArgumentException e) {
                throw new CensusFailedException("Resource Graph answered a row that is not a count: "
                        + e.getMessage(), e);
            }
        }
    }

    /** The failure in one short line: the service's text never carries a line break or control into a log. */
    static String reason(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        StringBuilder out = new StringBuilder(e.getClass().getSimpleName()).append(": ");
        for (int i = 0; i < message.length() && out.length() < 300; i++) {
            char c = message.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        return out.toString();
    }
}
