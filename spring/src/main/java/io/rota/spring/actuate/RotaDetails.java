package io.rota.spring.actuate;

import io.rota.jdbc.RoutingSnapshot;
import io.rota.spring.internal.Masking;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns a {@link RoutingSnapshot} into plain maps of strings and numbers for actuator output, with
 * credentials masked in reasons (a driver message may quote a URL). Stateless and thread-safe.
 */
final class RotaDetails {

  /** {@code user:password@} in a URL, or {@code password=...} in a URL query or a driver message. */

  private RotaDetails() {}

  /** One node: role, state, reason (masked), lag in milliseconds, and counters. */
  static Map<String, @Nullable Object> node(RoutingSnapshot.Node n, boolean replica) {
    Map<String, @Nullable Object> m = new LinkedHashMap<>();
    m.put("role", n.role().name());
    m.put("state", n.state().name());
    if (n.reason() != null) {
      m.put("reason", mask(n.reason()));
    }
    if (replica) {
      Duration lag = n.lag();
      m.put("lagMillis", lag == null ? null : lag.toMillis());
      m.put("weight", n.weight());
      m.put("inFlight", n.inFlight());
      m.put("ejections", n.ejections());
    } else {
      m.put("writes", n.writes());
    }
    m.put("reads", n.reads());
    m.put("failures", n.failures());
    return m;
  }

  /** Every replica by id, in configured order. */
  static Map<String, Object> replicas(List<RoutingSnapshot.Node> nodes) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (RoutingSnapshot.Node n : nodes) {
      m.put(n.id(), node(n, true));
    }
    return m;
  }

  /** Removes user info and passwords from a message. */
  static String mask(String s) {
    return Masking.mask(s);
  }
}
