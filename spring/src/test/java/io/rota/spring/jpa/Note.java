package io.rota.spring.jpa;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The JPA entity of the tests: one row per write, named so a test can count its own rows. */
@Entity
@Table(name = "jpa_note")
class Note {

  @Id
  @GeneratedValue(strategy = GenerationType.IDENTITY)
  private Long id;

  private String name;

  protected Note() {}

  Note(String name) {
    this.name = name;
  }

  Long getId() {
    return id;
  }

  String getName() {
    return name;
  }
}
