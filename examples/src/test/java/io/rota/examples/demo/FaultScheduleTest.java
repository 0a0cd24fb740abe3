package io.rota.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

  private final long t0 = System.nanoTime();
  private final List<String> log = new CopyOnWriteArrayList<>();

  private long elapsed() {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }

  private FaultSchedule.Window window(String name, double from, double to) {
    return new FaultSchedule.Window(name, "x", from, to, () -> log.add("begin " + name), () -> log.add("end " + name),
        name + " over");
  }

  @Test
  void windowsAreScaledToTheRunAndRunInTimeOrderWithAnnouncements() throws Exception {
    List<String> announced = new CopyOnWriteArrayList<>();
    // A 600 ms run: base second 1 is 10 ms.
    FaultSchedule schedule = new FaultSchedule(
        List.of(window("late", 20, 30), window("early", 5, 10), window("overlap", 8, 25)),
        Duration.ofMillis(600), this::elapsed, (at, text) -> announced.add(text));
    assertThat(schedule.scaledWindows().get(0)).containsExactly(200, 300);
    assertThat(schedule.phase()).isEqualTo("steady");
    schedule.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (log.size() < 6 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(log).containsExactly("begin early", "begin overlap", "end early", "begin late", "end overlap", "end late");
    assertThat(announced).containsExactly("FAULT  early", "FAULT  overlap", "ENDED  early over", "FAULT  late",
        "ENDED  overlap over", "ENDED  late over");
    List<RunRecord.Fault> faults = schedule.faults(elapsed());
    assertThat(faults).extracting(RunRecord.Fault::name).containsExactly("early", "overlap", "late");
    for (RunRecord.Fault f : faults) {
      assertThat(f.endMillis()).isGreaterThanOrEqualTo(f.startMillis());
    }
    assertThat(faults.get(0).startMillis()).isGreaterThanOrEqualTo(50);
    schedule.close();
  }

  @Test
  void phaseNamesTheFaultsRunningAndCloseEndsThem() throws Exception {
    FaultSchedule schedule = new FaultSchedule(List.of(window("a", 0, 50), window("b", 0, 50)),
        Duration.ofSeconds(60), this::elapsed, (at, text) -> { });
    schedule.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (log.size() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(schedule.phase()).isEqualTo("a + b");
    assertThat(schedule.activeFaults(elapsed())).hasSize(2);
    schedule.close();
    assertThat(log).containsExactly("begin a", "begin b", "end a", "end b");
    assertThat(schedule.phase()).isEqualTo("steady");
    assertThat(schedule.faults(elapsed())).hasSize(2);
  }

  @Test
  void aFailingActionIsAnnouncedAndTheScheduleGoesOn() throws Exception {
    List<String> announced = new CopyOnWriteArrayList<>();
    FaultSchedule.Window broken = new FaultSchedule.Window("broken", "x", 1, 2,
        () -> { throw new IllegalStateException("no such node"); }, () -> log.add("end broken"), "broken over");
    FaultSchedule schedule = new FaultSchedule(List.of(broken, window("next", 3, 4)), Duration.ofMillis(600),
        this::elapsed, (at, text) -> announced.add(text));
    schedule.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (log.size() < 3 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(announced).anySatisfy(a -> assertThat(a).contains("starting broken").contains("no such node"));
    assertThat(log).containsExactly("end broken", "begin next", "end next");
    schedule.close();
  }
}
