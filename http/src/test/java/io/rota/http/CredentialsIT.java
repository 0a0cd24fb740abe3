package io.rota.http;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.rota.core.EndpointPoolConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Request headers that carry credentials, and query strings, appear in no log line, event or
 * exception message, while requests fail in every way on real servers. DEBUG is on for the client
 * (see simplelogger.properties), so everything it could log is logged.
 */
class CredentialsIT {

  @RegisterExtension
  final ServerGroup servers = ServerGroup.perTest();
  private final WireMockServer reset = servers.add(s -> Servers.fault(s, Fault.CONNECTION_RESET_BY_PEER));
  private final WireMockServer unavailable = servers.add(s -> Servers.status(s, 503));
  private final WireMockServer slow = servers.add(s -> Servers.delay(s, Duration.ofMillis(1000)));

  @Test
  void credentialsAndQueryStringsAppearInNoLogEventOrMessage() throws Exception {
    List<Object> events = new CopyOnWriteArrayList<>();
    StringBuilder seen = new StringBuilder();
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (LoadBalancedHttpClient client = LoadBalancedHttpClient.builder("payments")
        .endpoint("reset", Servers.base(reset))
        .endpoint("unavailable", Servers.base(unavailable))
        .endpoint("slow", Servers.base(slow))
        .perAttemptTimeoutMillis(200)
        .poolConfig(EndpointPoolConfig.custom().consecutiveFailures(2).build())
        .build()) {
      client.addListener(events::add);

      for (int i = 0; i < 6; i++) {
        HttpRequest get = client.newRequest("/accounts/7?api_key=SECRET-QUERY")
            .header("Authorization", "Bearer SECRET-BEARER")
            .header("Cookie", "session=SECRET-COOKIE")
            .header("X-Api-Key", "SECRET-API-KEY")
            .build();
        HttpRequest post = client.newRequest("/payments?token=SECRET-QUERY")
            .header("Authorization", "Basic U0VDUkVULUJBU0lD")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();
        seen.append(describe(catchThrowable(() -> client.send(get, HttpResponse.BodyHandlers.ofString()))));
        seen.append(describe(catchThrowable(() -> client.send(post, HttpResponse.BodyHandlers.ofString()))));
        try {
          client.sendAsync(get, HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          seen.append(describe(e.getCause()));
        }
      }
      seen.append(client.snapshot()).append('\n').append(client).append('\n');
    } finally {
      System.setErr(originalErr);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    seen.append(events).append('\n');

    // The secrets did travel, to the servers...
    assertThat(reset.countRequestsMatching(anyRequestedFor(anyUrl())
        .withHeader("Authorization", equalTo("Bearer SECRET-BEARER")).build()).getCount()
        + unavailable.countRequestsMatching(anyRequestedFor(anyUrl())
        .withHeader("Authorization", equalTo("Bearer SECRET-BEARER")).build()).getCount()).isPositive();
    // ... and what we checked holds the failures, in logs, events and messages ...
    assertThat(logs).contains("attempt 1 on").contains("EJECTED");
    assertThat(seen).contains("GET /accounts/7 to service 'payments' failed")
        .contains("POST /payments to service 'payments' failed")
        .contains("AttemptFailed");
    // ... but never a secret.
    for (String secret : List.of("SECRET", "U0VDUkVULUJBU0lD", "api_key", "token=")) {
      assertThat(logs).as("logs").doesNotContain(secret);
      assertThat(seen.toString()).as("exceptions, events, snapshot").doesNotContain(secret);
    }
  }

  /** Returns everything an exception shows: its string, stack trace, causes and listed attempts. */
  private static String describe(Throwable t) {
    StringWriter out = new StringWriter();
    if (t == null) {
      return "";
    }
    t.printStackTrace(new PrintWriter(out));
    if (t instanceof AllAttemptsFailedException) {
      out.append(((AllAttemptsFailedException) t).attempts().toString());
    }
    return out.append('\n').toString();
  }
}
