package io.rota.spring.jpa;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application of the JPA tests: the starter, Boot's JPA (Hibernate) and Spring Data
 * auto-configuration, and the beans of this package ({@link NoteService}, {@link Nested},
 * {@link NoteController}).
 */
@SpringBootApplication
class JpaTestApplication {}
