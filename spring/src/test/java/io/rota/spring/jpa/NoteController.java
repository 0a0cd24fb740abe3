package io.rota.spring.jpa;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * One request, three transactions: a read-only one, a write, a read-only one. Returns the ports
 * they ran on and the id written, {@code "read=P1 write=P2 read=P3 id=N"}.
 */
@RestController
class NoteController {

  private final NoteService service;

  NoteController(NoteService service) {
    this.service = service;
  }

  @PostMapping("/notes")
  String readWriteRead(@RequestParam("name") String name) {
    int[] first = service.readAll();
    int[] written = service.save(name);
    int[] second = service.readAll();
    return "read=" + first[1] + " write=" + written[1] + " read=" + second[1] + " id=" + written[0];
  }
}
