package io.rota.spring.jpa;

import org.springframework.data.jpa.repository.JpaRepository;

/** A plain Spring Data repository: its inherited methods carry SimpleJpaRepository's transactions. */
interface NoteRepository extends JpaRepository<Note, Long> {

  /** The number of rows named {@code name}. */
  long countByName(String name);
}
