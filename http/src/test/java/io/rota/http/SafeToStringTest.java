package io.rota.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What Rota's request-side objects print: the path, never the query string, nor a body. */
class SafeToStringTest {

  @Test
  void anIdempotentRequestPrintsThePathWithoutTheQueryString() {
    HttpRequest post = HttpRequest.newBuilder(URI.create("http://orders/orders/7?token=SECRET-QUERY#frag"))
        .header("Authorization", "Bearer SECRET-BEARER")
        .POST(BodyPublishers.ofString("SECRET-BODY"))
        .build();

    HttpRequest marked = LoadBalancedHttpClient.idempotent(post);

    assertThat(marked).hasToString("http://orders/orders/7 POST (idempotent)");
    assertThat(LoadBalancedHttpClient.idempotent(HttpRequest.newBuilder(URI.create("http://orders?a=SECRET")).build()))
        .hasToString("http://orders/ GET (idempotent)");
    assertThat(LoadBalancedHttpClient.idempotent(HttpRequest.newBuilder(URI.create("http://user:SECRET@orders:81/x")).build()))
        .hasToString("http://orders:81/x GET (idempotent)");
  }

  @Test
  void bodiesAndAttemptsPrintNoContent() {
    assertThat(ReplayableBody.of(BodyPublishers.ofString("SECRET-BODY")).toString()).doesNotContain("SECRET");
    RequestBody oneShot = RequestBody.of(HttpRequest.newBuilder(URI.create("http://orders/x?token=SECRET"))
        .PUT(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream("SECRET-BODY".getBytes()))).build(), 64);
    assertThat(String.valueOf(oneShot.publisher())).doesNotContain("SECRET");
    assertThat(oneShot.whyNotResendable()).doesNotContain("SECRET");
    for (Attempt a : List.of(new Attempt("a", 503, null, Duration.ofMillis(3)),
        new Attempt("a", null, new java.net.ConnectException("Connection refused"), Duration.ZERO))) {
      assertThat(a.toString()).doesNotContain("SECRET").doesNotContain("?");
    }
  }
}
