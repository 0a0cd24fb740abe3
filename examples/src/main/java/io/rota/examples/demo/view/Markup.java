package io.rota.examples.demo.view;

import java.util.Locale;

/** Small helpers for writing HTML and SVG text: escaping, numbers, ticks, colours. Stateless. */
final class Markup {

  /** One colour per endpoint or node, in order; distinct on white and for common colour blindness. */
  private static final String[] PALETTE = {
    "#1f77b4", "#e8710a", "#2ca02c", "#9334e6", "#d01884", "#8c564b", "#12a4af", "#7f7f7f", "#b5a100", "#174ea6"
  };

  private Markup() {}

  /** Returns {@code text} safe inside HTML or SVG text and inside a double- or single-quoted attribute. */
  static String esc(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t') {
            out.append(' '); // control characters are not allowed in HTML text
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  /** Returns {@code v} for an SVG attribute: at most one decimal, never {@code NaN} or infinite (0 then). */
  static String num(double v) {
    if (!Double.isFinite(v)) {
      return "0";
    }
    long tenths = Math.round(v * 10);
    return tenths % 10 == 0 ? Long.toString(tenths / 10) : String.format(Locale.ROOT, "%.1f", tenths / 10.0);
  }

  /** Returns a round step (1, 2 or 5 times a power of ten) that cuts {@code range} into about {@code count} parts. */
  static double niceStep(double range, int count) {
    double raw = range > 0 && Double.isFinite(range) ? range / count : 1;
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    double fraction = raw / power;
    double nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
    return nice * power;
  }

  /** Returns a tick label: an integer when {@code step} is whole, else one or two decimals. */
  static String tick(double value, double step) {
    if (step >= 1) {
      return Long.toString(Math.round(value));
    }
    return String.format(Locale.ROOT, step >= 0.1 ? "%.1f" : "%.2f", value);
  }

  /** Returns the {@code i}-th series colour. */
  static String colour(int i) {
    return PALETTE[Math.floorMod(i, PALETTE.length)];
  }

  /** Returns the colour of a health state; any state not known here gets a fixed purple. */
  static String stateColour(String state) {
    return switch (state) {
      case "HEALTHY" -> "#34a853";
      case "RAMPING" -> "#a8dab5";
      case "HALF_OPEN" -> "#fbbc04";
      case "DRAINED" -> "#9aa0a6";
      case "EJECTED" -> "#ea4335";
      case "DOWN" -> "#3c4043";
      default -> "#a142f4";
    };
  }

  /** Returns about how wide {@code text} is in pixels at {@code fontSize} in a sans-serif font. */
  static double textWidth(String text, double fontSize) {
    return text.length() * fontSize * 0.56;
  }

  /** Returns {@code text} cut to {@code max} characters, with an ellipsis when cut. */
  static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, Math.max(1, max - 1)) + "\u2026";
  }
}
