package io.rota.spring.jpa;

import static io.rota.spring.jpa.JpaCluster.assertPrimary;
import static io.rota.spring.jpa.JpaCluster.assertReplica;
import static io.rota.spring.jpa.JpaCluster.countOn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.rota.jdbc.RoutingDataSource;
import io.rota.jdbc.RoutingSnapshot;
import io.rota.testkit.PgCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.orm.jpa.support.OpenEntityManagerInViewInterceptor;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The starter under JPA (Hibernate 7, Boot's default connection handling), Spring Data JPA and
 * Spring MVC, against a real PostgreSQL primary and streaming replica: which node each kind of
 * transaction runs on, nested propagation, and a web request with open-in-view on (this class) and
 * off ({@link OpenInViewOff}). One cluster for both contexts.
 */
@SpringBootTest(classes = JpaTestApplication.class, properties = "spring.jpa.open-in-view=true")
@AutoConfigureMockMvc
@DirtiesContext
class JpaRoutingIT extends ClusterTest {

  @Autowired NoteService service;
  @Autowired NoteRepository notes;
  @Autowired MockMvc mvc;
  @Autowired ConfigurableApplicationContext context;

  private static String unique(String what) {
    return what + "-" + UUID.randomUUID();
  }

  @Test
  void theSchemaWasCreatedOnThePrimaryAndTheTransactionManagerIsJpas() throws SQLException {
    try (Connection c = cluster.adminDataSource(PgCluster.PRIMARY).getConnection();
        ResultSet rs = c.createStatement().executeQuery(
            "select tableowner, pg_is_in_recovery() from pg_tables where tablename = 'jpa_note'")) {
      assertThat(rs.next()).as("jpa_note exists on the primary").isTrue();
      assertThat(rs.getString(1)).isEqualTo(PgCluster.APP_USER);
      assertThat(rs.getBoolean(2)).as("the node is the primary").isFalse();
    }
    assertThat(context.getBean(PlatformTransactionManager.class).getClass().getSimpleName())
        .isEqualTo("JpaTransactionManager");
    assertThat(context.getBean(javax.sql.DataSource.class)).isSameAs(routing);
  }

  @Test
  void aReadOnlyTransactionReadingThroughTheRepositoryRunsOnTheReplica() {
    assertReplica(cluster, service.readAll()[1], "@Transactional(readOnly = true)");
  }

  @Test
  void saveAndAPlainTransactionRunOnThePrimary() {
    String name = unique("save");
    assertPrimary(cluster, service.save(name)[1], "@Transactional");
    notes.save(new Note(name)); // SimpleJpaRepository.save: @Transactional, outside any other
    assertThat(countOn(cluster, PgCluster.PRIMARY, name)).isEqualTo(2);
  }

  @Test
  void springDatasInheritedFindAllOutsideAnyTransactionRunsOnTheReplica() {
    RoutingSnapshot before = routing.snapshot();
    notes.findAll(); // SimpleJpaRepository: class-level @Transactional(readOnly = true)
    RoutingSnapshot after = routing.snapshot();
    assertThat(after.replica("replica-1").reads() - before.replica("replica-1").reads())
        .as("replica reads during findAll").isEqualTo(1);
    assertThat(after.primary().reads() + after.primary().writes())
        .as("primary connections during findAll").isEqualTo(before.primary().reads() + before.primary().writes());
  }

  @Test
  void readOnlyOnABeanMethodRunsItsTransactionOnTheReplica() {
    assertReplica(cluster, service.readOnlyMarked(), "@ReadOnly @Transactional");
    RoutingSnapshot before = routing.snapshot();
    service.readOnlyMarkedFindAll();
    assertThat(routing.snapshot().replica("replica-1").reads() - before.replica("replica-1").reads())
        .as("replica reads of findAll inside @ReadOnly").isEqualTo(1);
  }

  @Test
  void aReadOnlyRequiredMethodInsideAReadWriteTransactionRunsOnThePrimaryWithIt() {
    String name = unique("ro-required");
    int[] ports = service.writeThenReadOnlyRequired(name);
    assertPrimary(cluster, ports[0], "outer read-write transaction");
    assertPrimary(cluster, ports[1], "read-only REQUIRED joining it");
    assertThat(countOn(cluster, PgCluster.PRIMARY, name)).isEqualTo(1);
  }

  @Test
  void aReadOnlyRequiresNewMethodInsideAReadWriteTransactionRunsOnTheReplica() {
    String name = unique("ro-requires-new");
    int[] ports = service.writeThenReadOnlyRequiresNew(name);
    assertPrimary(cluster, ports[0], "outer read-write transaction");
    assertReplica(cluster, ports[1], "read-only REQUIRES_NEW");
    assertThat(countOn(cluster, PgCluster.PRIMARY, name)).isEqualTo(1);
  }

  @Test
  void aReadWriteRequiresNewMethodInsideAReadOnlyTransactionRunsOnThePrimary() {
    String name = unique("rw-requires-new");
    int[] ports = service.readThenWriteRequiresNew(name);
    assertReplica(cluster, ports[0], "outer read-only transaction");
    assertPrimary(cluster, ports[1], "read-write REQUIRES_NEW");
    assertThat(countOn(cluster, PgCluster.PRIMARY, name)).isEqualTo(1);
  }

  @Test
  void aReadWriteRequiredMethodJoiningAReadOnlyTransactionGetsTheDatabasesReadOnlyErrorAndWritesNothing() {
    String name = unique("rw-required");
    assertThatThrownBy(() -> service.readThenWriteRequired(name))
        .isInstanceOf(org.springframework.dao.DataAccessException.class)
        .satisfies(e -> assertThat(sqlState(e)).as("SQLState in the cause chain of " + e).isEqualTo("25006"))
        .rootCause().hasMessageContaining("read-only transaction");
    assertThat(countOn(cluster, PgCluster.PRIMARY, name)).as("rows on the primary").isZero();
    assertThat(countOn(cluster, JpaCluster.REPLICA, name)).as("rows on the replica").isZero();
    // The next transactions work and route as usual.
    assertReplica(cluster, service.readAll()[1], "the next read-only transaction");
    assertPrimary(cluster, service.save(unique("after"))[1], "the next write");
  }

  @Test
  void oneRequestReadingWritingAndReadingRunsEachTransactionOnItsNode() throws Exception {
    assertThat(context.getBeansOfType(OpenEntityManagerInViewInterceptor.class)).as("open-in-view").isNotEmpty();
    webRequest(mvc);
  }

  /** POST /notes: read-only, write, read-only; each on its node, the write on the primary and then the replica. */
  static void webRequest(MockMvc mvc) throws Exception {
    String name = unique("web");
    String body = mvc.perform(post("/notes").param("name", name)).andExpect(status().isOk())
        .andReturn().getResponse().getContentAsString();
    Matcher m = Pattern.compile("read=(\\d+) write=(\\d+) read=(\\d+) id=(\\d+)").matcher(body);
    assertThat(m.matches()).as(body).isTrue();
    assertReplica(cluster, Integer.parseInt(m.group(1)), "first read-only call: " + body);
    assertPrimary(cluster, Integer.parseInt(m.group(2)), "the write: " + body);
    assertReplica(cluster, Integer.parseInt(m.group(3)), "second read-only call: " + body);
    assertThat(countOn(cluster, PgCluster.PRIMARY, name)).as("the write, on the primary").isEqualTo(1);
    JpaCluster.await("the write replayed on the replica", Duration.ofSeconds(10),
        () -> countOn(cluster, JpaCluster.REPLICA, name) == 1);
  }

  private static String sqlState(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLException && ((SQLException) c).getSQLState() != null) {
        return ((SQLException) c).getSQLState();
      }
    }
    return null;
  }

  /** The same request with {@code spring.jpa.open-in-view=false}: a second context on the same cluster. */
  @org.junit.jupiter.api.Nested
  @TestPropertySource(properties = "spring.jpa.open-in-view=false")
  class OpenInViewOff {

    @Autowired MockMvc mvcWithoutOpenInView;
    @Autowired ConfigurableApplicationContext contextWithoutOpenInView;
    @Autowired RoutingDataSource routingWithoutOpenInView;

    @Test
    void oneRequestReadingWritingAndReadingRunsEachTransactionOnItsNode() throws Exception {
      routings.add(routingWithoutOpenInView);
      JpaCluster.awaitReplicaHealthy(routingWithoutOpenInView);
      assertThat(contextWithoutOpenInView.getBeansOfType(OpenEntityManagerInViewInterceptor.class))
          .as("open-in-view").isEmpty();
      webRequest(mvcWithoutOpenInView);
    }
  }
}
