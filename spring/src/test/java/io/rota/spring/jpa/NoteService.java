package io.rota.spring.jpa;

import io.rota.jdbc.ReadOnly;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The outer transactions of the tests; each returns the port of the server that ran it, read in the
 * transaction (after its repository work), and the ports its {@link Nested} calls saw.
 */
@Service
class NoteService {

  private final NoteRepository notes;
  private final Node node;
  private final Nested nested;

  NoteService(NoteRepository notes, Node node, Nested nested) {
    this.notes = notes;
    this.node = node;
    this.nested = nested;
  }

  /** A read-only transaction reading through the repository: {@code [rows, port]}. */
  @Transactional(readOnly = true)
  public int[] readAll() {
    int rows = notes.findAll().size();
    return new int[] {rows, node.port()};
  }

  /** A read-only transaction that reads, runs {@code between}, and reads again: {@code [rows, port]}. */
  @Transactional(readOnly = true)
  public int[] readAround(Runnable between) {
    notes.findAll();
    between.run();
    int rows = notes.findAll().size();
    return new int[] {rows, node.port()};
  }

  /** A read-write transaction that saves a note: {@code [id, port]}. */
  @Transactional
  public int[] save(String name) {
    Note n = notes.save(new Note(name));
    return new int[] {n.getId().intValue(), node.port()};
  }

  /** {@code @ReadOnly} on a bean method that opens a plain (read-write) transaction: its port. */
  @ReadOnly
  @Transactional
  public int readOnlyMarked() {
    notes.findAll();
    return node.port();
  }

  /** {@code @ReadOnly} without a transaction of its own: Spring Data's {@code findAll} runs inside. */
  @ReadOnly
  public List<Note> readOnlyMarkedFindAll() {
    return notes.findAll();
  }

  /** Read-write, calling a read-only REQUIRED method that joins it: {@code [outer, inner]} ports. */
  @Transactional
  public int[] writeThenReadOnlyRequired(String name) {
    notes.saveAndFlush(new Note(name));
    int inner = nested.readOnlyRequired();
    return new int[] {node.port(), inner};
  }

  /** Read-write, calling a read-only REQUIRES_NEW method: {@code [outer, inner]} ports. */
  @Transactional
  public int[] writeThenReadOnlyRequiresNew(String name) {
    notes.saveAndFlush(new Note(name));
    int inner = nested.readOnlyRequiresNew();
    return new int[] {node.port(), inner};
  }

  /** Read-only, calling a read-write REQUIRES_NEW method that writes: {@code [outer, inner]} ports. */
  @Transactional(readOnly = true)
  public int[] readThenWriteRequiresNew(String name) {
    notes.findAll();
    int inner = nested.writeRequiresNew(name);
    return new int[] {node.port(), inner};
  }

  /** Read-only, calling a read-write REQUIRED method that joins it and writes. */
  @Transactional(readOnly = true)
  public void readThenWriteRequired(String name) {
    notes.findAll();
    nested.writeRequired(name);
  }
}
