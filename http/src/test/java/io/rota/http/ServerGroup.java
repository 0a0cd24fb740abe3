package io.rota.http;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The real servers of a test class ({@link Servers#httpOptions()}), started and stopped by JUnit. Each
 * server has its stubs, 200 "ok" to everything unless {@link #add(Consumer) given}.
 *
 * <ul>
 *   <li>{@link #perClass()}, registered on a static field: the servers start before the class's first
 *       test and stop after its last; before each test, every server is set back to its stubs and
 *       forgets the requests it received ({@link #reset()}).
 *   <li>{@link #perTest()}, registered on an instance field: every test gets new servers, stopped
 *       after it.
 * </ul>
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ServerGroup servers = ServerGroup.perClass();
 * private static final WireMockServer a = servers.add();
 * private static final WireMockServer bad = servers.add(s -> Servers.status(s, 503));
 * }</pre>
 *
 * The servers start before the class's (or test's) own {@code @BeforeAll} / {@code @BeforeEach}
 * methods run, and stop after its {@code @AfterEach} / {@code @AfterAll} methods.
 */
final class ServerGroup implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private record Member(WireMockServer server, Consumer<WireMockServer> stubs) {}

  private final boolean perClass;
  private final List<Member> members = new ArrayList<>();
  private boolean started;

  private ServerGroup(boolean perClass) {
    this.perClass = perClass;
  }

  /** Servers shared by the tests of a class, reset before each: register on a static field. */
  static ServerGroup perClass() {
    return new ServerGroup(true);
  }

  /** New servers for every test: register on an instance field. */
  static ServerGroup perTest() {
    return new ServerGroup(false);
  }

  /** Adds a server that answers 200 "ok" to everything; it starts with the group. */
  WireMockServer add() {
    return add(Servers::healthy);
  }

  /** Adds a server set up by {@code stubs} (such as {@link Servers#status}); it starts with the group. */
  WireMockServer add(Consumer<WireMockServer> stubs) {
    WireMockServer server = new WireMockServer(Servers.httpOptions());
    members.add(new Member(server, stubs));
    return server;
  }

  /** Sets every server back to its stubs and makes it forget the requests it received. */
  void reset() {
    for (Member m : members) {
      m.stubs().accept(m.server());
      m.server().resetRequests();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (perClass) {
      start();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!perClass) {
      start();
    } else if (!started) {
      throw new IllegalStateException("a per-class ServerGroup must be registered on a static field");
    } else {
      reset();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      stop();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (perClass) {
      stop();
    }
  }

  private void start() {
    started = true; // a failed start still stops the ones that started
    for (Member m : members) {
      m.server().start();
      m.stubs().accept(m.server());
    }
  }

  private void stop() {
    Servers.stop(members.stream().map(Member::server).toArray(WireMockServer[]::new));
  }
}
