package io.rota.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * When a request ends with a retryable status, the caller gets the last response, with its status,
 * headers and body readable, in the {@link AllAttemptsFailedException}; earlier responses are
 * discarded.
 */
class LastResponseIT {

  /** The body handlers the caller may use, and how to read what each gives. */
  enum Handler {
    OF_STRING(HttpResponse.BodyHandlers.ofString()) {
      @Override
      String read(Object body) {
        return (String) body;
      }
    },
    OF_BYTE_ARRAY(HttpResponse.BodyHandlers.ofByteArray()) {
      @Override
      String read(Object body) {
        return new String((byte[]) body, StandardCharsets.UTF_8);
      }
    },
    OF_INPUT_STREAM(HttpResponse.BodyHandlers.ofInputStream()) {
      @Override
      String read(Object body) throws Exception {
        try (InputStream in = (InputStream) body) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    };

    final HttpResponse.BodyHandler<?> handler;

    Handler(HttpResponse.BodyHandler<?> handler) {
      this.handler = handler;
    }

    abstract String read(Object body) throws Exception;
  }

  private static final Consumer<WireMockServer> BUSY = s -> {
    s.resetMappings();
    s.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "7")
        .withBody("busy at " + s.port())));
  };

  @RegisterExtension
  static final ServerGroup servers = ServerGroup.perClass();
  private static final WireMockServer a = servers.add(BUSY);
  private static final WireMockServer b = servers.add(BUSY);

  private static LoadBalancedHttpClient client() {
    return LoadBalancedHttpClient.builder("api")
        .endpoint("a", Servers.base(a))
        .endpoint("b", Servers.base(b))
        .retryPolicy(RetryPolicy.custom().maxAttempts(2).initialBackoffMillis(1).maxBackoffMillis(1).build())
        .build();
  }

  private static AllAttemptsFailedException send(Load load, LoadBalancedHttpClient client, HttpRequest request,
      Handler handler) throws Exception {
    Throwable thrown;
    if (load == Load.SYNC) {
      thrown = catchThrowable(() -> client.send(request, handler.handler));
    } else {
      thrown = catchThrowable(() -> client.sendAsync(request, handler.handler).get(10, TimeUnit.SECONDS));
      assertThat(thrown).isInstanceOf(ExecutionException.class);
      thrown = thrown.getCause();
    }
    assertThat(thrown).isInstanceOf(AllAttemptsFailedException.class);
    return (AllAttemptsFailedException) thrown;
  }

  /** Asserts that the last response is the last attempt's 503 from its endpoint, body readable. */
  private static void assertLastResponseReadable(AllAttemptsFailedException e, Handler handler) throws Exception {
    HttpResponse<?> last = e.lastResponse();
    assertThat(last).isNotNull();
    assertThat(last.statusCode()).isEqualTo(503);
    assertThat(last.headers().firstValue("Retry-After")).hasValue("7");
    String lastEndpoint = e.attempts().get(e.attempts().size() - 1).endpointId();
    int port = (lastEndpoint.equals("a") ? a : b).port();
    assertThat(handler.read(last.body())).isEqualTo("busy at " + port);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Handler.class)
  void whenEveryAttemptGetsARetryableStatusTheLastResponseIsReadable(Handler handler) throws Exception {
    for (Load load : Load.values()) {
      try (LoadBalancedHttpClient client = client()) {

        AllAttemptsFailedException e = send(load, client, client.newRequest("/x").build(), handler);

        assertThat(e.reason()).as("%s", load).isEqualTo(AllAttemptsFailedException.Reason.MAX_ATTEMPTS);
        assertThat(e.attempts()).hasSize(2);
        assertLastResponseReadable(e, handler);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Handler.class)
  void aRetryableStatusThatIsNotRetriedKeepsItsBodyReadable(Handler handler) throws Exception {
    for (Load load : Load.values()) {
      try (LoadBalancedHttpClient client = client()) {
        HttpRequest post = client.newRequest("/x").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        HttpRequest streamedPut = client.newRequest("/x")
            .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[100]))).build();

        AllAttemptsFailedException notIdempotent = send(load, client, post, handler);
        AllAttemptsFailedException oneShotBody = send(load, client, streamedPut, handler);

        assertThat(notIdempotent.reason()).isEqualTo(AllAttemptsFailedException.Reason.NOT_RETRYABLE);
        assertLastResponseReadable(notIdempotent, handler);
        assertThat(oneShotBody.reason()).isEqualTo(AllAttemptsFailedException.Reason.BODY_NOT_REPLAYABLE);
        assertLastResponseReadable(oneShotBody, handler);
      }
    }
  }
}
