package io.rota.examples.demo.view;

import static io.rota.examples.demo.view.Markup.esc;
import static io.rota.examples.demo.view.Markup.num;

import io.rota.examples.demo.RunRecord.Fault;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * One SVG chart over the run's time: a legend row, a strip of fault labels, the plot with a time axis
 * in seconds, and optionally a numeric y axis. All time charts share the same left margin, so their
 * time axes line up one above the other. Not thread-safe; one instance draws one chart.
 */
final class TimeChart {

  static final int WIDTH = 960;
  static final int LEFT = 104;
  static final int RIGHT = 24;
  static final int BOTTOM = 40;
  private static final int LEGEND_ROW = 20;
  private static final int FAULT_ROW = 15;
  private static final double FONT = 11;

  /** A legend entry: a line, a dashed line, a filled box or an outlined box of {@code colour}. */
  record Key(String label, String colour, String mark) {
    static Key line(String label, String colour) {
      return new Key(label, colour, "line");
    }

    static Key dash(String label, String colour) {
      return new Key(label, colour, "dash");
    }

    static Key box(String label, String colour) {
      return new Key(label, colour, "box");
    }

    static Key outline(String label, String colour) {
      return new Key(label, colour, "outline");
    }
  }

  private final StringBuilder svg = new StringBuilder(16_384);
  private final double xMax;
  private final int top;
  private final int plotHeight;
  private final List<Fault> faults;
  private final int[] faultRow;
  private double yMax = 1;

  /**
   * Starts a chart and draws its legend, fault labels and time axis.
   *
   * @param name the {@code data-chart} attribute
   * @param label what the chart shows, for screen readers
   * @param xMax the run's length in seconds (> 0)
   * @param keys the legend
   * @param faults the faults to label above the plot (and shade, see {@link #shadeFaults})
   * @param plotHeight the plot's height in pixels
   */
  TimeChart(String name, String label, double xMax, List<Key> keys, List<Fault> faults, int plotHeight) {
    this.xMax = xMax > 0 && Double.isFinite(xMax) ? xMax : 1;
    this.plotHeight = plotHeight;
    this.faults = List.copyOf(faults);
    int legendRows = legendRows(keys);
    this.faultRow = new int[this.faults.size()];
    int faultRows = layOutFaultLabels();
    this.top = 8 + legendRows * LEGEND_ROW + faultRows * FAULT_ROW + (faultRows > 0 ? 6 : 4);
    int height = top + plotHeight + BOTTOM;
    svg.append("<svg data-chart=\"").append(esc(name)).append("\" role=\"img\" aria-label=\"").append(esc(label))
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\" width=\"").append(WIDTH)
        .append("\" height=\"").append(height).append("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
    svg.append("<rect class=\"plot-area\" x=\"").append(LEFT).append("\" y=\"").append(top).append("\" width=\"")
        .append(WIDTH - LEFT - RIGHT).append("\" height=\"").append(plotHeight).append("\" fill=\"#fbfbfd\"/>\n");
    drawLegend(keys);
    drawFaultLabels(8 + legendRows * LEGEND_ROW + 2);
    drawTimeAxis();
  }

  /** Returns the x pixel of {@code seconds}. */
  double x(double seconds) {
    return LEFT + (WIDTH - LEFT - RIGHT) * Math.max(0, Math.min(seconds, xMax)) / xMax;
  }

  /** Returns the y pixel of {@code value} on the numeric axis set by {@link #valueAxis}. */
  double y(double value) {
    return top + plotHeight - plotHeight * Math.max(0, Math.min(value, yMax)) / yMax;
  }

  /** Returns the top pixel of the plot. */
  int top() {
    return top;
  }

  /** Returns the plot's height in pixels. */
  int plotHeight() {
    return plotHeight;
  }

  /** Returns the buffer to draw into; coordinates from {@link #x} and {@link #y}. */
  StringBuilder svg() {
    return svg;
  }

  /**
   * Draws a numeric y axis from 0 to at least {@code max} with grid lines; tick values are divided by
   * {@code unit} (e.g. 1000 to show milliseconds as seconds).
   */
  void valueAxis(double max, String label, double unit) {
    double shown = (max > 0 && Double.isFinite(max) ? max : 1) / unit;
    double step = Markup.niceStep(shown, 5);
    double topValue = Math.ceil(shown / step - 1e-9) * step;
    if (topValue <= 0) {
      topValue = step;
    }
    yMax = topValue * unit;
    for (int i = 0; i * step <= topValue + step / 1000; i++) {
      double py = y(i * step * unit);
      svg.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
          .append("\" y1=\"").append(num(py)).append("\" y2=\"").append(num(py)).append("\" stroke=\"#e3e5e8\"/>")
          .append("<text class=\"tick\" x=\"").append(LEFT - 6).append("\" y=\"").append(num(py + 4))
          .append("\" text-anchor=\"end\">").append(Markup.tick(i * step, step)).append("</text>\n");
    }
    int mid = top + plotHeight / 2;
    svg.append("<text class=\"axis-label\" transform=\"translate(").append(LEFT - 44).append(' ').append(mid).append(") rotate(-90)\" ")
        .append("text-anchor=\"middle\">").append(esc(label)).append("</text>\n");
  }

  /**
   * Shades each fault's window with one {@code rect.fault}, spanning the pixels {@code band} gives
   * ({@code {top, bottom}}), or the whole plot when it gives {@code null}; {@code outline} draws only
   * the window's edges (over coloured segments, whose colours a tint would change).
   */
  void shadeFaults(Function<Fault, double[]> band, boolean outline) {
    for (Fault f : faults) {
      double x0 = x(f.startMillis() / 1000.0);
      double x1 = Math.max(x0 + 1.5, x(f.endMillis() / 1000.0));
      double[] span = band.apply(f);
      double y0 = span == null ? top : span[0];
      double y1 = span == null ? top + plotHeight : span[1];
      svg.append("<rect class=\"fault\" data-fault=\"").append(esc(f.name())).append("\" x=\"").append(num(x0))
          .append("\" y=\"").append(num(y0)).append("\" width=\"").append(num(x1 - x0)).append("\" height=\"")
          .append(num(y1 - y0)).append(outline
              ? "\" fill=\"none\" stroke=\"#e37400\" stroke-width=\"2\" stroke-dasharray=\"4 2\"><title>"
              : "\" fill=\"#f9ab00\" fill-opacity=\"0.16\" stroke=\"#e37400\" stroke-opacity=\"0.5\" stroke-dasharray=\"3 2\"><title>").append(esc(faultTitle(f)))
          .append("</title></rect>\n");
    }
  }

  /** Shades every fault over the whole plot height. */
  void shadeFaults() {
    shadeFaults(f -> null, false);
  }

  /**
   * Draws one {@code path.series} through {@code points} (pairs of seconds and value), broken where a
   * point is {@code null}; a lone point is drawn across its second. Of {@code count} series, the
   * {@code index}-th is drawn thinner than those before it, so a line that runs exactly on another
   * still shows as a core inside the other's colour.
   */
  void series(String id, String colour, List<double[]> points, boolean dashed, int index, int count) {
    StringBuilder d = new StringBuilder();
    int run = 0;
    for (int i = 0; i < points.size(); i++) {
      double[] p = points.get(i);
      if (p == null) {
        run = 0;
        continue;
      }
      boolean lone = run == 0 && (i + 1 >= points.size() || points.get(i + 1) == null);
      if (lone) {
        d.append('M').append(num(x(p[0] - 0.5))).append(' ').append(num(y(p[1])))
            .append('L').append(num(x(p[0] + 0.5))).append(' ').append(num(y(p[1])));
      } else {
        d.append(run == 0 ? 'M' : 'L').append(num(x(p[0]))).append(' ').append(num(y(p[1])));
      }
      run++;
    }
    if (d.length() == 0) {
      return;
    }
    svg.append("<path class=\"series\" data-series=\"").append(esc(id)).append("\" d=\"").append(d)
        .append("\" fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"").append(num(1.6 + 0.8 * Math.max(0, count - 1 - index)))
        .append("\" stroke-linejoin=\"round\"")
        .append(dashed ? " stroke-dasharray=\"5 3\"" : "").append("><title>").append(esc(id)).append("</title></path>\n");
  }

  /** Closes the chart and returns its SVG. */
  String finish() {
    svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(top).append("\" width=\"")
        .append(WIDTH - LEFT - RIGHT).append("\" height=\"").append(plotHeight)
        .append("\" fill=\"none\" stroke=\"#9aa0a6\"/>\n</svg>\n");
    return svg.toString();
  }

  private static String faultTitle(Fault f) {
    return f.name() + " on " + f.target() + ", " + ConsoleDashboard.seconds(f.startMillis()) + " to "
        + ConsoleDashboard.seconds(f.endMillis());
  }

  private int legendRows(List<Key> keys) {
    if (keys.isEmpty()) {
      return 0;
    }
    int rows = 1;
    double at = LEFT;
    for (Key k : keys) {
      double w = keyWidth(k);
      if (at + w > WIDTH - RIGHT && at > LEFT) {
        rows++;
        at = LEFT;
      }
      at += w;
    }
    return rows;
  }

  private static double keyWidth(Key k) {
    return 28 + Markup.textWidth(k.label(), 12) + 18;
  }

  private void drawLegend(List<Key> keys) {
    double at = LEFT;
    int row = 0;
    for (Key k : keys) {
      double w = keyWidth(k);
      if (at + w > WIDTH - RIGHT && at > LEFT) {
        row++;
        at = LEFT;
      }
      double cy = 8 + row * LEGEND_ROW + 8;
      svg.append("<g class=\"legend-item\">");
      if (k.mark().equals("box") || k.mark().equals("outline")) {
        svg.append("<rect x=\"").append(num(at)).append("\" y=\"").append(num(cy - 6)).append("\" width=\"20\" height=\"12\" ")
            .append(k.mark().equals("box") ? "fill=\"" + k.colour() + "\""
                : "fill=\"none\" stroke=\"" + k.colour() + "\" stroke-width=\"2\" stroke-dasharray=\"4 2\"").append("/>");
      } else {
        svg.append("<line x1=\"").append(num(at)).append("\" x2=\"").append(num(at + 22)).append("\" y1=\"").append(num(cy))
            .append("\" y2=\"").append(num(cy)).append("\" stroke=\"").append(k.colour()).append("\" stroke-width=\"2.5\"")
            .append(k.mark().equals("dash") ? " stroke-dasharray=\"5 3\"" : "").append("/>");
      }
      svg.append("<text x=\"").append(num(at + 28)).append("\" y=\"").append(num(cy + 4)).append("\">").append(esc(k.label()))
          .append("</text></g>\n");
      at += w;
    }
  }

  /** Assigns each fault label a row so that no two labels overlap; returns the number of rows. */
  private int layOutFaultLabels() {
    List<Double> rowEnds = new ArrayList<>();
    Integer[] order = new Integer[faults.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(faults.get(a).startMillis(), faults.get(b).startMillis()));
    for (int i : order) {
      double[] span = labelSpan(faults.get(i));
      int row = 0;
      while (row < rowEnds.size() && rowEnds.get(row) + 8 > span[0]) {
        row++;
      }
      if (row == rowEnds.size()) {
        rowEnds.add(span[1]);
      } else {
        rowEnds.set(row, span[1]);
      }
      faultRow[i] = row;
    }
    return rowEnds.size();
  }

  /** Returns where a fault's label sits: from the window's start, kept inside the chart. */
  private double[] labelSpan(Fault f) {
    double w = Markup.textWidth(label(f), FONT) + 4;
    double x0 = Math.min(x(f.startMillis() / 1000.0), WIDTH - RIGHT - w);
    double x1 = Math.max(x0 + w, x(f.endMillis() / 1000.0));
    return new double[] {Math.max(0, x0), x1};
  }

  private static String label(Fault f) {
    return Markup.cut(f.name(), 48);
  }

  private void drawFaultLabels(int stripTop) {
    for (int i = 0; i < faults.size(); i++) {
      Fault f = faults.get(i);
      double[] span = labelSpan(f);
      double wx0 = x(f.startMillis() / 1000.0);
      double wx1 = Math.max(wx0 + 1.5, x(f.endMillis() / 1000.0));
      double rowTop = stripTop + faultRow[i] * FAULT_ROW;
      svg.append("<g class=\"fault-label\"><rect x=\"").append(num(wx0)).append("\" y=\"").append(num(rowTop + 11))
          .append("\" width=\"").append(num(wx1 - wx0)).append("\" height=\"2.5\" fill=\"#e37400\"/>")
          .append("<text x=\"").append(num(span[0] + 2)).append("\" y=\"").append(num(rowTop + 9))
          .append("\" fill=\"#a04a00\" font-size=\"11\">").append(esc(label(f))).append("<title>")
          .append(esc(faultTitle(f))).append("</title></text></g>\n");
    }
  }

  private void drawTimeAxis() {
    double step = Markup.niceStep(xMax, 12);
    int bottom = top + plotHeight;
    for (int i = 0; i * step <= xMax + step / 1000; i++) {
      double px = x(i * step);
      svg.append("<line class=\"tick-mark\" x1=\"").append(num(px)).append("\" x2=\"").append(num(px))
          .append("\" y1=\"").append(bottom).append("\" y2=\"").append(bottom + 5).append("\" stroke=\"#5f6368\"/>")
          .append("<text class=\"tick\" x=\"").append(num(px)).append("\" y=\"").append(bottom + 17)
          .append("\" text-anchor=\"middle\">").append(Markup.tick(i * step, step)).append("</text>\n");
    }
    svg.append("<text class=\"axis-label\" x=\"").append(LEFT + (WIDTH - LEFT - RIGHT) / 2).append("\" y=\"")
        .append(bottom + 34).append("\" text-anchor=\"middle\">time (s)</text>\n");
  }
}
