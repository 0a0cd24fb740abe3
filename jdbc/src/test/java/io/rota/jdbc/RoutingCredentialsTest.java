package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code getConnection(user, password)}: credentials reach the node, and the password nothing else. */
class RoutingCredentialsTest extends RoutingTestSupport {

  private static final String USER = "app";
  private static final String PASSWORD = "s3cr3t-pw";

  /** Every message and toString along the cause chain and the suppressed exceptions. */
  private static List<String> texts(Throwable t) {
    List<String> out = new ArrayList<>();
    for (Throwable c = t; c != null; c = c.getCause()) {
      out.add(String.valueOf(c.getMessage()));
      out.add(c.toString());
      for (Throwable s : c.getSuppressed()) {
        out.addAll(texts(s));
      }
      if (c instanceof SQLException) {
        SQLException next = ((SQLException) c).getNextException();
        if (next != null && next != c) {
          out.addAll(texts(next));
        }
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return out;
  }

  @Test
  void theCredentialsArePassedToWhicheverNodeTheConnectionIsRoutedTo() throws SQLException {
    RoutingDataSource ds = routing();

    try (Connection c = ds.getConnection(USER, PASSWORD)) {
      write(c);
    }
    try (Connection c = ds.getConnection(USER, PASSWORD)) {
      c.setReadOnly(true);
      read(c);
    }

    assertThat(primary.workLogins()).singleElement()
        .satisfies(l -> assertThat(l.user()).isEqualTo(USER))
        .satisfies(l -> assertThat(l.password()).isEqualTo(PASSWORD));
    List<StubDataSource.Login> replicaLogins = new ArrayList<>(r1.workLogins());
    replicaLogins.addAll(r2.workLogins());
    assertThat(replicaLogins).singleElement()
        .satisfies(l -> assertThat(l.user()).isEqualTo(USER))
        .satisfies(l -> assertThat(l.password()).isEqualTo(PASSWORD));
  }

  @Test
  void theCredentialsAlsoReachThePrimaryOnAFallbackAndANextReplica() throws SQLException {
    RoutingDataSource ds = routing();
    StubDataSource.refuseNextConnectionOnAnyOf(r1, r2);

    try (Connection c = ds.getConnection(USER, PASSWORD)) {
      c.setReadOnly(true);
      read(c);
    }
    r1.refuseConnections();
    r2.refuseConnections();
    try (Connection c = ds.getConnection(USER, PASSWORD)) {
      c.setReadOnly(true);
      assertThat(read(c)).isEqualTo("primary");
    }

    List<StubDataSource.Login> logins = new ArrayList<>(r1.workLogins());
    logins.addAll(r2.workLogins());
    logins.addAll(primary.workLogins());
    assertThat(logins).hasSize(5).allSatisfy(l -> {
      assertThat(l.user()).isEqualTo(USER);
      assertThat(l.password()).isEqualTo(PASSWORD);
    });
  }

  @Test
  void thePasswordAppearsInNoToString() throws SQLException {
    RoutingDataSource ds = routing();

    try (Connection c = ds.getConnection(USER, PASSWORD)) {
      assertThat(c.toString()).doesNotContain(PASSWORD);
      Statement st = c.createStatement();
      PreparedStatement ps = c.prepareStatement(SELECT);
      st.executeUpdate(UPDATE);
      assertThat(c.toString()).contains("primary").doesNotContain(PASSWORD);
      assertThat(st.toString()).doesNotContain(PASSWORD);
      assertThat(ps.toString()).doesNotContain(PASSWORD);
      c.setReadOnly(true);
      read(c);
      assertThat(c.toString()).doesNotContain(PASSWORD);
    }
    Connection closed = ds.getConnection(USER, PASSWORD);
    closed.close();
    assertThat(closed.toString()).doesNotContain(PASSWORD);
    assertThat(ds.toString()).doesNotContain(PASSWORD);
    assertThat(ds.snapshot().toString()).doesNotContain(PASSWORD);
  }

  @Test
  void thePasswordAppearsInNoExceptionWhenThePrimaryFails() throws SQLException {
    RoutingDataSource ds = routing();
    primary.refuseConnections();

    SQLException failure;
    try (Connection c = ds.getConnection(USER, PASSWORD)) {
      failure = catchThrowableOfType(SQLException.class, () -> write(c));
      assertThat(c.toString()).doesNotContain(PASSWORD);
    }

    assertThat((Throwable) failure).isNotNull();
    assertThat(failure.getSQLState()).isEqualTo("08001");
    assertThat(failure.getMessage()).contains("primary");
    assertThat(texts(failure)).noneMatch(t -> t.contains(PASSWORD));
    assertThat(ds.snapshot().primary().failures()).isEqualTo(1);
    assertThat(ds.snapshot().toString()).doesNotContain(PASSWORD);
    assertThat(primary.workLogins()).singleElement()
        .satisfies(l -> assertThat(l.password()).isEqualTo(PASSWORD));
  }

  @Test
  void thePasswordAppearsInNoExceptionWhenNoReplicaCanServe() throws SQLException {
    RoutingDataSource ds = build(builder().fallbackToPrimary(false));
    r1.refuseConnections();
    r2.refuseConnections();

    SQLException failure;
    try (Connection c = ds.getConnection(USER, PASSWORD)) {
      c.setReadOnly(true);
      failure = catchThrowableOfType(SQLException.class, () -> read(c));
    }

    assertThat((Throwable) failure).isNotNull();
    assertThat(failure.getSQLState()).isEqualTo("08001");
    assertThat(texts(failure)).noneMatch(t -> t.contains(PASSWORD));
    assertThat(ds.snapshot().toString()).doesNotContain(PASSWORD);
  }
}
