package io.rota.spring.jpa;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The inner transactions of {@link NoteService}: a separate bean, so its calls go through the proxy. */
@Service
class Nested {

  private final NoteRepository notes;
  private final Node node;

  Nested(NoteRepository notes, Node node) {
    this.notes = notes;
    this.node = node;
  }

  /** Read-only, joining the caller's transaction: its port. */
  @Transactional(readOnly = true)
  public int readOnlyRequired() {
    notes.findAll();
    return node.port();
  }

  /** Read-only in a new transaction: its port. */
  @Transactional(readOnly = true, propagation = Propagation.REQUIRES_NEW)
  public int readOnlyRequiresNew() {
    notes.findAll();
    return node.port();
  }

  /** Read-write in a new transaction that saves a note: its port. */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public int writeRequiresNew(String name) {
    notes.saveAndFlush(new Note(name));
    return node.port();
  }

  /** Read-write, joining the caller's transaction, saving a note (IDENTITY ids insert at once). */
  @Transactional
  public void writeRequired(String name) {
    notes.saveAndFlush(new Note(name));
  }
}
