package io.rota.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rota.core.EndpointPoolConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** Every bad configuration gets a message naming the value and what was expected. */
class ConfigValidationTest {

  private static final URI A = URI.create("http://10.0.0.1:8080");

  private static LoadBalancedHttpClientBuilder builder() {
    return LoadBalancedHttpClient.builder("orders");
  }

  // --- service name and endpoints

  @Test
  void builder_serviceNameNotAHost() {
    assertThatThrownBy(() -> LoadBalancedHttpClient.builder("order_service"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("serviceName: 'order_service' (expected: a host name such as 'orders' or 'orders.internal';"
            + " requests address it as http://<serviceName>/path)");
    assertThatThrownBy(() -> LoadBalancedHttpClient.builder(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("serviceName: ' ' (expected:");
    assertThatThrownBy(() -> LoadBalancedHttpClient.builder("orders:8080"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("serviceName: 'orders:8080' (expected:");
    assertThatThrownBy(() -> LoadBalancedHttpClient.builder(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("serviceName");
  }

  @Test
  void builder_serviceNameIsLowerCased() {
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("Orders.Internal").endpoint("a", A).build()) {
      assertThat(client.serviceName()).isEqualTo("orders.internal");
    }
  }

  @Test
  void endpoint_blankId() {
    assertThatThrownBy(() -> builder().endpoint(" ", A))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoint id: ' ' (expected: a non-blank string)");
  }

  @Test
  void endpoint_duplicateId() {
    assertThatThrownBy(() -> builder().endpoint("a", A).backupEndpoint("a", A))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("endpoint id: 'a' (expected: unique; it is already used)");
  }

  @Test
  void endpoint_weightOutOfRange() {
    assertThatThrownBy(() -> builder().endpoint("a", A, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight of endpoint 'a': -1 (expected: 0..10000)");
    assertThatThrownBy(() -> builder().endpoint("a", A, 10_001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weight of endpoint 'a': 10001 (expected: 0..10000)");
  }

  @Test
  void authority_onlyWithHttps() {
    assertThatThrownBy(() -> HttpEndpoint.of("a", A).withAuthority("api.test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("authority of endpoint 'a': 'api.test' (expected: only with an https:// base URI;"
            + " plain http verifies no name)");
  }

  @Test
  void authority_notAHostName() {
    HttpEndpoint tls = HttpEndpoint.of("a", URI.create("https://10.0.0.1:8443"));
    for (String bad : new String[] {"10.0.0.2", "api.test:8443", "", "api.test.", "[::1]", "a b"}) {
      assertThatThrownBy(() -> tls.withAuthority(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("authority of endpoint 'a': '" + bad + "' (expected: a DNS host name such as"
              + " 'orders.example.com', no port or IP address)");
    }
    assertThat(tls.withAuthority("API.Test").authority()).isEqualTo("api.test");
    assertThat(tls.withAuthority("api.test").withAuthority("api.test")).isEqualTo(tls.withAuthority("api.test"));
  }

  @Test
  void authority_oneNamePerAddress() {
    URI same = URI.create("https://10.0.0.1:8443");
    assertThatThrownBy(() -> builder()
        .endpoint(HttpEndpoint.of("a", same).withAuthority("api.test"))
        .endpoint(HttpEndpoint.of("b", same.resolve("/v2")).withAuthority("other.test")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("authority of endpoint 'b': 'other.test' (expected: 'api.test', as endpoint 'a' at the same"
            + " address has; one address has one TLS name)");
    assertThatThrownBy(() -> builder()
        .endpoint(HttpEndpoint.of("a", same).withAuthority("api.test"))
        .endpoint("b", same))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("authority of endpoint 'b': none (expected: 'api.test', as endpoint 'a' at the same"
            + " address has; one address has one TLS name)");
  }

  @Test
  void httpEndpoint_toStringShowsNoAddress() {
    HttpEndpoint e = HttpEndpoint.of("a", URI.create("https://10.0.0.1:8443/secret-path")).withWeight(3)
        .withAuthority("api.test");
    assertThat(e).hasToString("a (weight 3, authority api.test)");
    assertThat(e.withTier(io.rota.core.Tier.BACKUP)).hasToString("a (backup, weight 3, authority api.test)");
  }

  @Test
  void endpoint_notHttp() {
    assertThatThrownBy(() -> builder().endpoint("a", URI.create("ftp://10.0.0.1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("base URI of endpoint 'a': ftp://10.0.0.1 (expected: an http:// or https:// URI)");
    assertThatThrownBy(() -> builder().endpoint("a", URI.create("/relative")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("base URI of endpoint 'a': /relative (expected: an http:// or https:// URI)");
  }

  @Test
  void endpoint_noHost() {
    assertThatThrownBy(() -> builder().endpoint("a", URI.create("http://bad_host:80")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("base URI of endpoint 'a': http://bad_host:80 (expected: a host, as in http://10.0.0.1:8080)");
  }

  @Test
  void endpoint_queryOrFragment() {
    assertThatThrownBy(() -> builder().endpoint("a", URI.create("http://10.0.0.1/api?x=1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("base URI of endpoint 'a': http://10.0.0.1/api?x=1"
            + " (expected: no query or fragment; only scheme, host, port and base path)");
  }

  @Test
  void endpoint_userInfoIsRefusedWithoutShowingIt() {
    assertThatThrownBy(() -> builder().endpoint("a", URI.create("https://admin:hunter2@10.0.0.1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("base URI of endpoint 'a': has user info (expected: no credentials in the URI; send them in a header)")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void build_noEndpoints() {
    assertThatThrownBy(() -> builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("endpoints: none (expected: at least one endpoint for service 'orders')");
  }

  // --- HTTP client, timeouts, health check

  @Test
  void httpClient_followingRedirects() {
    HttpClient redirecting = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    assertThatThrownBy(() -> builder().httpClient(redirecting))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("httpClient: follows redirects (NORMAL) (expected: Redirect.NEVER; a redirect could send a request"
            + " to a host that is not a configured endpoint)");
  }

  @Test
  void build_httpClientWithConnectTimeoutOrSslContext() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    assertThatThrownBy(() -> builder().endpoint("a", A).httpClient(http).connectTimeoutMillis(500).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("connectTimeout: PT0.5S (expected: not set together with httpClient; set it on that HttpClient)");
    SSLContext tls = SSLContext.getDefault();
    assertThatThrownBy(() -> builder().endpoint("a", A).sslContext(tls).httpClient(http).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("sslContext: set (expected: not set together with httpClient; set it on that HttpClient)");
  }

  @Test
  void timeouts_notPositive() {
    assertThatThrownBy(() -> builder().perAttemptTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("perAttemptTimeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> builder().deadlineMillis(-5))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("deadline: PT-0.005S (expected: > 0)");
    assertThatThrownBy(() -> builder().connectTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("connectTimeout: PT-1S (expected: > 0)");
    assertThatThrownBy(() -> builder().health(h -> h.intervalMillis(0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("healthCheckInterval: PT0S (expected: > 0)");
    assertThatThrownBy(() -> builder().health(h -> h.timeoutMillis(0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("healthCheckTimeout: PT0S (expected: > 0)");
  }

  @Test
  void healthCheck_badPath() {
    assertThatThrownBy(() -> builder().healthCheck("health"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("health check path: 'health' (expected: a path starting with '/')");
    assertThatThrownBy(() -> builder().health(h -> h.check("/he alth")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("health check path: '/he alth' (expected: a valid URI path, percent-encoded)");
  }

  @Test
  void health_outOfRange() {
    assertThatThrownBy(() -> builder().health(h -> h.expectedStatus(99)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expectedStatus: 99 (expected: 100..599)");
    assertThatThrownBy(() -> builder().health(h -> h.rise(0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("rise: 0 (expected: >= 1)");
    assertThatThrownBy(() -> builder().health(h -> h.failureRateThreshold(101)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("failureRateThreshold: 101 (expected: 1..100)");
    assertThatThrownBy(() -> builder().health(h -> h.ejectionBackoffMultiplier(0.5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ejectionBackoffMultiplier: 0.5");
    assertThatThrownBy(() -> builder().health(h -> h.slowStartMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("slowStart: PT-0.001S");
  }

  @Test
  void build_activeCheckSettingsWithoutACheck() {
    assertThatThrownBy(() -> builder().endpoint("a", A).health(h -> h.intervalMillis(100)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("health interval: PT0.1S (expected: set only with an active check, health(h -> h.check(path)))");
    assertThatThrownBy(() -> builder().endpoint("a", A).health(h -> h.expectedStatus(204)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("health expectedStatus: 204 (expected: set only with an active check, health(h -> h.check(path)))");
    assertThatThrownBy(() -> builder().endpoint("a", A).health(h -> h.fall(2)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("health fall: 2 (expected: set only with an active check, health(h -> h.check(path)))");
  }

  @Test
  void build_aSettingSetTwiceToDifferentValues() {
    assertThatThrownBy(() -> builder().endpoint("a", A).healthCheck("/health").health(h -> h.check("/ready")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("health check path: /ready (expected: set once; it was already set to /health)");
    assertThatThrownBy(() -> builder().endpoint("a", A).health(h -> h.consecutiveFailures(3))
        .health(h -> h.consecutiveFailures(4)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("health consecutiveFailures: 4 (expected: set once; it was already set to 3)");
    // The same value twice is not a conflict.
    builder().endpoint("a", A).healthCheck("/health").health(h -> h.check("/health").consecutiveFailures(3))
        .health(h -> h.consecutiveFailures(3)).build().close();
  }

  @Test
  void build_aSettingInBothPoolConfigAndHealthMustAgree() {
    assertThatThrownBy(() -> builder().endpoint("a", A)
        .poolConfig(EndpointPoolConfig.custom().rise(4).build())
        .health(h -> h.check("/health").rise(2))
        .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("health rise: 2 (expected: one place for each setting; poolConfig(...) sets it to 4)");
    assertThatThrownBy(() -> builder().endpoint("a", A)
        .health(h -> h.ejectionTime(Duration.ofSeconds(3)))
        .poolConfig(EndpointPoolConfig.custom().ejectionTimeMillis(5000).build())
        .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("health ejectionTime: PT3S (expected: one place for each setting; poolConfig(...) sets it to PT5S)");
  }

  @Test
  void build_healthSettingsGoToThePool() {
    try (LoadBalancedHttpClient client = builder().endpoint("a", A)
        .health(h -> h.check("/health").intervalMillis(60_000).timeoutMillis(700).fall(5).consecutiveFailures(2)
            .slowStartMillis(1000))
        // Agrees (same value) or leaves the field at its default: no conflict.
        .poolConfig(EndpointPoolConfig.custom().rise(4).fall(5).build())
        .build()) {
      EndpointPoolConfig config = client.poolConfig();
      assertThat(config.healthCheckInterval()).isEqualTo(Duration.ofMinutes(1));
      assertThat(config.healthCheckTimeout()).isEqualTo(Duration.ofMillis(700));
      assertThat(config.rise()).isEqualTo(4);
      assertThat(config.fall()).isEqualTo(5);
      assertThat(config.consecutiveFailures()).isEqualTo(2);
      assertThat(config.slowStart()).isEqualTo(Duration.ofSeconds(1));
      assertThat(config.ejectionTime()).isEqualTo(Duration.ofSeconds(EndpointPoolConfig.DEFAULT_EJECTION_TIME_SECONDS));
    }
  }

  @Test
  void build_aCoreRuleBrokenByHealthSettings() {
    assertThatThrownBy(() -> builder().endpoint("a", A)
        .health(h -> h.slidingWindowSize(5).minimumNumberOfCalls(10)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("minimumNumberOfCalls");
  }

  @Test
  void build_copiesTheBuilder() {
    LoadBalancedHttpClientBuilder b = builder().endpoint("a", A);
    try (LoadBalancedHttpClient first = b.build()) {
      b.endpoint("b", URI.create("http://10.0.0.2"));
      assertThat(first.snapshot().endpoints()).extracting(HttpClientSnapshot.EndpointStats::id).containsExactly("a");
    }
  }

  // --- RetryPolicy and RetryBudget

  @Test
  void retryPolicy_outOfRange() {
    assertThatThrownBy(() -> RetryPolicy.custom().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAttempts: 0 (expected: 1..10)");
    assertThatThrownBy(() -> RetryPolicy.custom().initialBackoff(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("initialBackoff: PT0S (expected: PT0.001S..PT1M)");
    assertThatThrownBy(() -> RetryPolicy.custom().maxBackoffMillis(120_000))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxBackoff: PT2M (expected: PT0.001S..PT1M)");
    assertThatThrownBy(() -> RetryPolicy.custom().backoffMultiplier(0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("backoffMultiplier: 0.5 (expected: 1.0..10.0)");
    assertThatThrownBy(() -> RetryPolicy.custom().jitter(1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("jitter: 1.5 (expected: 0.0..1.0)");
    assertThatThrownBy(() -> RetryPolicy.custom().retryableStatuses(503, 600))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("retryable status: 600 (expected: 100..599)");
    assertThatThrownBy(() -> RetryPolicy.custom().bodyReplayBuffer(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("bodyReplayBuffer: -1 (expected: 0..1048576)");
    assertThatThrownBy(() -> RetryPolicy.custom().bodyReplayBuffer(RetryPolicy.MAX_BODY_REPLAY_BUFFER + 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("bodyReplayBuffer: 1048577 (expected: 0..1048576)");
  }

  @Test
  void retryPolicy_maxBackoffBelowInitial() {
    assertThatThrownBy(() -> RetryPolicy.custom().initialBackoffMillis(500).maxBackoffMillis(100).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("maxBackoff: PT0.1S (expected: >= initialBackoff, PT0.5S)");
  }

  @Test
  void retryPolicy_defaultsAndCopies() {
    RetryPolicy p = RetryPolicy.ofDefaults();
    assertThat(p.maxAttempts()).isEqualTo(3);
    assertThat(p.retryableStatuses()).containsExactly(503);
    assertThat(p.retryOnTimeout()).isTrue();
    assertThat(p.retryOnIoError()).isTrue();
    assertThat(p.bodyReplayBuffer()).isZero();
    assertThat(RetryPolicy.from(p).bodyReplayBuffer(4096).build().bodyReplayBuffer()).isEqualTo(4096);
    assertThat(RetryPolicy.noRetries().maxAttempts()).isEqualTo(1);
    RetryPolicy q = RetryPolicy.from(p).retryableStatuses(502, 503, 504).retryOnTimeout(false).build();
    assertThat(q.retryableStatuses()).containsExactlyInAnyOrder(502, 503, 504);
    assertThat(q.retryOnTimeout()).isFalse();
    assertThat(q.maxAttempts()).isEqualTo(3);
    assertThat(p.retryableStatuses()).containsExactly(503);
  }

  @Test
  void retryBudget_outOfRange() {
    assertThatThrownBy(() -> RetryBudget.custom().retryRatio(-0.1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("retryRatio: -0.1 (expected: 0.0..10.0)");
    assertThatThrownBy(() -> RetryBudget.custom().retryRatio(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("retryRatio: NaN (expected: 0.0..10.0)");
    assertThatThrownBy(() -> RetryBudget.custom().minRetriesPerSecond(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("minRetriesPerSecond: -1 (expected: 0..100000)");
    assertThatThrownBy(() -> RetryBudget.custom().ttlMillis(500))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("ttl: PT0.5S (expected: PT1S..PT1H)");
  }

  @Test
  void retryBudget_defaults() {
    RetryBudget b = RetryBudget.ofDefaults();
    assertThat(b.retryRatio()).isEqualTo(0.2);
    assertThat(b.minRetriesPerSecond()).isEqualTo(10);
    assertThat(b.ttl()).isEqualTo(Duration.ofSeconds(10));
    assertThat(RetryBudget.from(b).retryRatio(0.5).build().ttl()).isEqualTo(Duration.ofSeconds(10));
  }
}
