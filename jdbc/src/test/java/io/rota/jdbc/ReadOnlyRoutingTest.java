package io.rota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** {@link ReadOnly @ReadOnly} through {@link RoutingDataSource#readOnlyProxy} and the read-only scope. */
class ReadOnlyRoutingTest extends RoutingTestSupport {

  interface Repo {
    String plain() throws SQLException;

    @ReadOnly
    String annotatedOnInterface() throws SQLException;

    String annotatedOnImplementation() throws SQLException;

    String failing() throws SQLException;
  }

  static final class RepoImpl implements Repo {
    private final DataSource ds;

    RepoImpl(DataSource ds) {
      this.ds = ds;
    }

    @Override
    public String plain() throws SQLException {
      return plainRead(ds);
    }

    @Override
    public String annotatedOnInterface() throws SQLException {
      return plainRead(ds);
    }

    @ReadOnly
    @Override
    public String annotatedOnImplementation() throws SQLException {
      return plainRead(ds);
    }

    @ReadOnly
    @Override
    public String failing() throws SQLException {
      throw new SQLException("boom", "42000");
    }
  }

  interface Finder {
    String find() throws SQLException;

    String findAgain() throws SQLException;
  }

  @ReadOnly
  interface ReadOnlyFinder extends Finder {}

  static class FinderImpl implements ReadOnlyFinder {
    private final DataSource ds;

    FinderImpl(DataSource ds) {
      this.ds = ds;
    }

    @Override
    public String find() throws SQLException {
      return plainRead(ds);
    }

    @Override
    public String findAgain() throws SQLException {
      return plainRead(ds);
    }
  }

  @ReadOnly
  static final class AnnotatedFinderImpl extends FinderImpl {
    AnnotatedFinderImpl(DataSource ds) {
      super(ds);
    }
  }

  // --- readOnlyProxy.

  /** Package-private, like a record written beside the repository that returns it. */
  record Row(String node) {}

  /** A public interface returning a package-private type: its proxy could not call it. */
  public interface PublicRowFinder {
    @ReadOnly
    Row find() throws SQLException;
  }

  /** A package-private interface may return the package's own types. */
  interface RowFinder {
    @ReadOnly
    Row find() throws SQLException;
  }

  @Test
  void aPublicInterfaceThatReturnsAPackagePrivateTypeIsRefusedAtOnceNamingTheType() {
    assertThatThrownBy(() -> RoutingDataSource.readOnlyProxy(PublicRowFinder.class, () -> new Row("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PublicRowFinder").hasMessageContaining("method find")
        .hasMessageContaining("ReadOnlyRoutingTest$Row, which is not public");
  }

  @Test
  void aPackagePrivateInterfaceMayReturnItsPackagesTypes() throws SQLException {
    DataSource ds = routing();
    RowFinder finder = RoutingDataSource.readOnlyProxy(RowFinder.class, () -> new Row(plainRead(ds)));

    assertThat(finder.find().node()).isIn("r1", "r2");
  }

  @Test
  void aMethodAnnotatedOnTheInterfaceRunsOnAReplica() throws SQLException {
    Repo repo = RoutingDataSource.readOnlyProxy(Repo.class, new RepoImpl(routing()));

    assertThat(repo.annotatedOnInterface()).isIn("r1", "r2");
  }

  @Test
  void aMethodAnnotatedOnTheImplementationRunsOnAReplica() throws SQLException {
    Repo repo = RoutingDataSource.readOnlyProxy(Repo.class, new RepoImpl(routing()));

    assertThat(repo.annotatedOnImplementation()).isIn("r1", "r2");
  }

  @Test
  void aMethodWithoutTheAnnotationRunsOnThePrimary() throws SQLException {
    Repo repo = RoutingDataSource.readOnlyProxy(Repo.class, new RepoImpl(routing()));

    assertThat(repo.plain()).isEqualTo("primary");
    assertThat(repo.annotatedOnInterface()).isIn("r1", "r2");
    assertThat(repo.plain()).as("the scope ended with the annotated method").isEqualTo("primary");
    assertThat(r1.work().size() + r2.work().size()).isEqualTo(1);
  }

  @Test
  void everyMethodOfAnInterfaceAnnotatedReadOnlyRunsOnAReplica() throws SQLException {
    ReadOnlyFinder finder = RoutingDataSource.readOnlyProxy(ReadOnlyFinder.class, new FinderImpl(routing()));

    assertThat(finder.find()).isIn("r1", "r2");
    assertThat(finder.findAgain()).isIn("r1", "r2");
    assertThat(primary.workLogins()).isEmpty();
  }

  @Test
  void everyMethodOfAnImplementationAnnotatedReadOnlyRunsOnAReplica() throws SQLException {
    Finder finder = RoutingDataSource.readOnlyProxy(Finder.class, new AnnotatedFinderImpl(routing()));

    assertThat(finder.find()).isIn("r1", "r2");
    assertThat(finder.findAgain()).isIn("r1", "r2");
    assertThat(primary.workLogins()).isEmpty();
  }

  @Test
  void anExceptionOfTheTargetReachesTheCallerUnwrappedAndEndsTheScope() throws SQLException {
    Repo repo = RoutingDataSource.readOnlyProxy(Repo.class, new RepoImpl(routing()));

    assertThatThrownBy(repo::failing).isExactlyInstanceOf(SQLException.class).hasMessage("boom");
    assertThat(repo.plain()).isEqualTo("primary");
  }

  @Test
  void readOnlyProxy_notAnInterface() {
    assertThatThrownBy(() -> RoutingDataSource.readOnlyProxy(FinderImpl.class, new FinderImpl(primary)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("type: " + FinderImpl.class.getName() + " (expected: an interface)");
  }

  // --- The read-only scope.

  @Test
  void aConnectionFirstUsedInAReadOnlyScopeGoesToAReplica() throws SQLException {
    RoutingDataSource ds = routing();

    assertThat(RoutingDataSource.readOnly(() -> plainRead(ds))).isIn("r1", "r2");
    assertThat(plainRead(ds)).isEqualTo("primary");

    // Opened before the scope, first used inside it: routes by the scope.
    try (Connection c = ds.getConnection()) {
      assertThat(RoutingDataSource.readOnly(() -> read(c))).isIn("r1", "r2");
    }
  }

  @Test
  void nestedScopesStayReadOnlyUntilTheOutermostEnds() throws SQLException {
    RoutingDataSource ds = routing();
    List<String> servedBy = new ArrayList<>();

    RoutingDataSource.readOnly(() -> {
      servedBy.add(plainRead(ds));
      RoutingDataSource.readOnly(() -> servedBy.add(plainRead(ds)));
      servedBy.add(plainRead(ds)); // after the inner scope: still in the outer one
      return null;
    });
    servedBy.add(plainRead(ds));

    assertThat(servedBy).hasSize(4);
    assertThat(servedBy.subList(0, 3)).allMatch(n -> n.equals("r1") || n.equals("r2"));
    assertThat(servedBy.get(3)).isEqualTo("primary");
  }

  @Test
  void anEnteredScopeRoutesReadsToReplicasUntilClosedAndClosingTwiceLeavesOnlyOnce() throws SQLException {
    RoutingDataSource ds = routing();

    RoutingDataSource.Scope outer = RoutingDataSource.enterReadOnly();
    RoutingDataSource.Scope inner = RoutingDataSource.enterReadOnly();
    assertThat(plainRead(ds)).isIn("r1", "r2");
    inner.close();
    inner.close(); // a no-op: the outer scope is still entered
    assertThat(plainRead(ds)).isIn("r1", "r2");
    outer.close();
    assertThat(plainRead(ds)).isEqualTo("primary");
  }

  @Test
  void aScopeEndsWhenItsWorkThrows() throws SQLException {
    RoutingDataSource ds = routing();

    assertThatThrownBy(() -> RoutingDataSource.readOnly(() -> {
      throw new SQLException("boom");
    })).hasMessage("boom");

    assertThat(plainRead(ds)).isEqualTo("primary");
  }

  @Test
  void aConnectionBoundToThePrimaryInAWriteTransactionStaysThereInsideAReadOnlyScope() throws SQLException {
    RoutingDataSource ds = routing();
    Repo repo = RoutingDataSource.readOnlyProxy(Repo.class, new RepoImpl(ds));

    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      write(c);

      assertThat(RoutingDataSource.readOnly(() -> read(c))).isEqualTo("primary");
      assertThat(RoutingDataSource.readOnly(() -> {
        repo.annotatedOnInterface(); // its own connection may go to a replica
        return read(c);
      })).isEqualTo("primary");
      c.commit();
    }

    assertThat(primary.work()).hasSize(1);
    assertThat(primary.work().get(0).executions()).hasSize(3);
    assertThat(primary.work().get(0).readOnly).isFalse();
  }
}
