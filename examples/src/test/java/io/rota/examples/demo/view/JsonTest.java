package io.rota.examples.demo.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void writesAndReadsBackWhatTheProtocolUses() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("expression", "a \"q\" \\ \n\t\u0001");
    params.put("returnByValue", true);
    params.put("n", 3);
    params.put("list", List.of(1.5, "x"));
    params.put("none", null);
    String text = Json.write(params);
    assertThat(text).isEqualTo(
        "{\"expression\":\"a \\\"q\\\" \\\\ \\n\\t\\u0001\",\"returnByValue\":true,\"n\":3,\"list\":[1.5,\"x\"],\"none\":null}");
    Map<?, ?> back = (Map<?, ?>) Json.parse(text);
    assertThat(back.get("expression")).isEqualTo(params.get("expression"));
    assertThat(back.get("n")).isEqualTo(3.0);
    assertThat(back.get("list")).isEqualTo(List.of(1.5, "x"));
    assertThat(back.containsKey("none")).isTrue();
    assertThat(Json.parse(" {\"a\" : [ ] , \"b\":{}, \"c\":\"\\u00e9\", \"d\":-1e3} "))
        .isEqualTo(Map.of("a", List.of(), "b", Map.of(), "c", "\u00e9", "d", -1000.0));
  }

  @Test
  void parse_notJson() {
    assertThatThrownBy(() -> Json.parse("{\"a\" 1}")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("JSON at offset 5: expected ':', found '1}'");
    assertThatThrownBy(() -> Json.parse("[1] x")).hasMessageContaining("expected end of input");
  }
}
