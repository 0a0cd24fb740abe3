package io.rota.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RotaDetailsTest {

  @Test
  void masksUserInfoAndPasswordsInReasons() {
    String masked = RotaDetails.mask(
        "unreachable: jdbc:postgresql://app:s3cret@db:5432/x?password=s3cret&ssl=true; pwd=s3cret end");
    assertThat(masked).doesNotContain("s3cret").contains("//***@db:5432").contains("password=***&ssl=true")
        .contains("pwd=*** end");
  }

  @Test
  void leavesPlainReasonsAlone() {
    assertThat(RotaDetails.mask("failed its health check: Connection refused"))
        .isEqualTo("failed its health check: Connection refused");
  }
}
