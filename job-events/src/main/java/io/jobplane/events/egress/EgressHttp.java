package io.jobplane.events.egress;

import java.time.Duration;

import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * HTTP clients for tenant endpoints (http connections, reverse-ETL receivers, webhooks): every
 * socket is an {@link EgressSocket}, so each address DNS gives is checked by the installed
 * {@link Egress#policy()} as it is connected to. No proxy, no redirects followed (the credentials
 * stay with the address the tenant named), no cookies, no automatic retries.
 */
public final class EgressHttp {

    private EgressHttp() {
    }

    public static CloseableHttpClient client(Duration connectTimeout, int maxConnections) {
        return client(connectTimeout, maxConnections, null);
    }

    /**
     * As {@link #client(Duration, int)}, every socket checked by {@code policy} instead of the installed
     * one (null: the installed one).
     */
    public static CloseableHttpClient client(Duration connectTimeout, int maxConnections, EgressPolicy policy) {
        DefaultHttpClientConnectionOperator operator = new DefaultHttpClientConnectionOperator(
                proxy -> policy == null ? new EgressSocket() : new EgressSocket(policy), null, null,
                RegistryBuilder.<TlsSocketStrategy>create().register(URIScheme.HTTPS.id, DefaultClientTlsStrategy.createDefault())
                        .build());
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager(operator,
                PoolConcurrencyPolicy.STRICT, PoolReusePolicy.LIFO, TimeValue.ofMinutes(1), null);
        connections.setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(Timeout.of(connectTimeout)).setValidateAfterInactivity(TimeValue.ofSeconds(2)).build());
        connections.setMaxTotal(maxConnections);
        connections.setDefaultMaxPerRoute(maxConnections);
        return HttpClients.custom().setConnectionManager(connections).disableRedirectHandling().disableCookieManagement()
                .disableAutomaticRetries().disableAuthCaching().build();
    }
}
