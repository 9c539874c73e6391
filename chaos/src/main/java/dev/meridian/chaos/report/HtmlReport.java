package dev.meridian.chaos.report;

import dev.meridian.chaos.checker.Availability.PhaseStats;
import dev.meridian.chaos.checker.Verdict;
import dev.meridian.chaos.checker.Violation;
import dev.meridian.chaos.history.FaultRecord;
import dev.meridian.chaos.history.History;
import dev.meridian.chaos.nemesis.FaultPlan;
import dev.meridian.chaos.scenario.RunConfig;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The human-readable report of a run: one self-contained HTML page (no scripts, no external resources)
 * with the verdict, the fault schedule and windows, an inline SVG timeline of throughput, errors and
 * replication lag per second with the fault windows shaded, the availability per phase, the drain, and
 * every violation.
 */
final class HtmlReport {

  private static final int W = 960;
  private static final int PANEL = 150;
  private static final int LEFT = 60;
  private static final int MAX_LISTED = 300;

  private HtmlReport() {}

  static String render(RunConfig cfg, List<FaultPlan> schedule, History history, Timeline tl, Verdict v,
      String plantedWhat, Verdict planted, boolean plantedCaught) {
    StringBuilder b = new StringBuilder();
    b.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Meridian chaos: ").append(esc(cfg.scenario().id))
        .append("</title><style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}")
        .append("table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}")
        .append(".pass{color:#1a7f37}.fail{color:#cf222e}code{background:#f4f4f4;padding:1px 4px}")
        .append("li{font-size:13px;margin:2px 0}</style></head><body>");
    b.append("<h1>").append(esc(cfg.scenario().id)).append(": <span class=\"").append(v.pass() ? "pass\">PASS" : "fail\">FAIL")
        .append("</span></h1><p>").append(esc(cfg.scenario().description)).append("</p>");
    b.append("<p>Seed <b>").append(cfg.seed()).append("</b>, workload ").append(cfg.duration().toSeconds())
        .append(" s, drain bound ").append(cfg.drain().toSeconds()).append(" s. Reproduce: <code>")
        .append(esc(Reports.config(cfg).get("reproduce").toString())).append("</code></p>");

    b.append("<h2>Faults</h2><table><tr><th>planned</th><th>injected</th><th>healed</th><th>serving again</th><th>what was done</th></tr>");
    List<FaultRecord> faults = history.faults();
    for (int i = 0; i < Math.max(schedule.size(), faults.size()); i++) {
      FaultRecord f = i < faults.size() ? faults.get(i) : null;
      b.append("<tr><td>").append(i < schedule.size() ? esc(schedule.get(i).toString()) : "").append("</td><td>")
          .append(f == null ? "-" : sec(f.start())).append("</td><td>").append(f == null ? "-" : sec(f.end()))
          .append("</td><td>").append(f == null ? "-" : sec(f.recovered())).append("</td><td>")
          .append(f == null ? "" : esc(f.detail())).append("</td></tr>");
    }
    b.append("</table>");

    b.append("<h2>Timeline</h2><p>Fault windows shaded red (lighter until the hit nodes served again); the dashed line is ")
        .append("the start of the drain.</p>");
    svg(b, tl, faults, v.drain());

    b.append("<h2>Availability per phase</h2><p>Judged rows (✔) are local requests of regions the fault does not hit: ")
        .append("their error rate must stay at most ").append(String.format("%.1f%%", 100 * cfg.maxErrorRate()))
        .append(". Latencies are of acknowledged requests.</p><table><tr><th>phase</th><th>from-to (s)</th><th>scope</th>")
        .append("<th>judged</th><th>requests</th><th>ok</th><th>failed</th><th>unknown</th><th>error rate</th><th>ok/s</th>")
        .append("<th>p50 ms</th><th>p95 ms</th><th>p99 ms</th></tr>");
    for (PhaseStats p : v.phases()) {
      b.append("<tr><td>").append(esc(p.phase())).append("</td><td>").append(sec(p.from())).append("-").append(sec(p.to()))
          .append("</td><td>").append(esc(p.scope())).append("</td><td>").append(p.judged() ? "✔" : "").append("</td><td>")
          .append(p.requests()).append("</td><td>").append(p.ok()).append("</td><td>").append(p.failed()).append("</td><td>")
          .append(p.unknown()).append("</td><td>").append(String.format("%.1f%%", 100 * p.errorRate())).append("</td><td>")
          .append(String.format("%.1f", p.okPerSecond())).append("</td><td>").append(p.p50()).append("</td><td>")
          .append(p.p95()).append("</td><td>").append(p.p99()).append("</td></tr>");
    }
    b.append("</table>");

    Verdict.Drain d = v.drain();
    b.append("<h2>Replication drain</h2><p>").append(d.convergedAfter() < 0
        ? "<span class=\"fail\">Replication did not converge within " + d.bound() / 1000 + " s.</span>"
        : "Every eligible version was in every destination with status COMPLETED " + d.convergedAfter() / 1000.0
            + " s after the drain began").append(" (at ").append(sec(d.startedAt())).append(" s; ").append(d.owedAtStart())
        .append(" lag-probe versions were still owed then).</p>");

    b.append("<h2>Violations</h2>");
    violations(b, v);
    if (planted != null) {
      b.append("<h2>Planted fault (test-only switch)</h2><p>").append(esc(plantedWhat)).append("</p><p>The checker ")
          .append(plantedCaught ? "<span class=\"pass\">caught it</span>" : "<span class=\"fail\">did NOT catch it</span>")
          .append(": ").append(esc(planted.counts().toString())).append("</p>");
      violations(b, planted);
    }
    b.append("<h2>Summary</h2><pre>").append(esc(v.summary().entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
        .collect(Collectors.joining("\n")))).append("</pre>");
    b.append("<p>Files: <code>history.json</code> (every request, fault and lag sample, the final state), ")
        .append("<code>verdict.json</code>, node logs in <code>logs/</code>.</p></body></html>\n");
    return b.toString();
  }

  private static void violations(StringBuilder b, Verdict v) {
    if (v.violations().isEmpty()) {
      b.append("<p class=\"pass\">None: no acknowledged write lost, no phantom, no divergence, every status final.</p>");
      return;
    }
    b.append("<table><tr><th>kind</th><th>count</th><th>meaning</th></tr>");
    for (Map.Entry<Violation.Kind, Integer> e : v.counts().entrySet()) {
      b.append("<tr><td>").append(e.getKey()).append("</td><td>").append(e.getValue()).append("</td><td>")
          .append(esc(e.getKey().description)).append("</td></tr>");
    }
    b.append("</table><ul>");
    v.violations().stream().limit(MAX_LISTED).forEach(x -> b.append("<li>").append(esc(x.toString())).append("</li>"));
    b.append("</ul>");
    if (v.violations().size() > MAX_LISTED) b.append("<p>... all ").append(v.violations().size()).append(" in verdict.json</p>");
  }

  /** Three panels sharing the time axis: ok/s, errors/s, replication lag (s). */
  private static void svg(StringBuilder b, Timeline tl, List<FaultRecord> faults, Verdict.Drain drain) {
    int h = 3 * PANEL + 40;
    int plotW = W - LEFT - 20;
    double dx = (double) plotW / Math.max(1, tl.seconds());
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(h)
        .append("\" font-size=\"11\" font-family=\"sans-serif\">");
    for (FaultRecord f : faults) {
      double x0 = LEFT + f.start() / 1000.0 * dx;
      double x1 = LEFT + (f.end() < 0 ? tl.seconds() : f.end() / 1000.0) * dx;
      double x2 = f.recovered() < 0 ? x1 : LEFT + f.recovered() / 1000.0 * dx;
      b.append(rect(x0, 0, x1 - x0, 3 * PANEL, "#f5b5b5")).append(rect(x1, 0, Math.max(0, x2 - x1), 3 * PANEL, "#fbe3e3"));
      b.append("<text x=\"").append(fmt(x0 + 2)).append("\" y=\"10\" fill=\"#a00\">").append(esc(f.kind() + " " + f.target()))
          .append("</text>");
    }
    panel(b, 0, "ok/s", tl.seconds(), Map.of("", i -> tl.ok()[i]), dx);
    panel(b, 1, "errors/s", tl.seconds(), Map.of("", i -> tl.errors()[i]), dx);
    Map<String, java.util.function.IntToDoubleFunction> lag = new java.util.LinkedHashMap<>();
    tl.lagSeconds().forEach((dest, series) -> lag.put(dest, i -> series[i]));
    panel(b, 2, "repl. lag s", tl.seconds(), lag, dx);
    double xd = LEFT + drain.startedAt() / 1000.0 * dx;
    b.append("<line x1=\"").append(fmt(xd)).append("\" x2=\"").append(fmt(xd)).append("\" y1=\"0\" y2=\"").append(3 * PANEL)
        .append("\" stroke=\"#555\" stroke-dasharray=\"4 3\"/>");
    for (int s = 0; s <= tl.seconds(); s += Math.max(10, tl.seconds() / 12 / 10 * 10)) {
      double x = LEFT + s * dx;
      b.append("<text x=\"").append(fmt(x)).append("\" y=\"").append(3 * PANEL + 15).append("\" text-anchor=\"middle\">")
          .append(s).append("</text>");
    }
    b.append("<text x=\"").append(LEFT + plotW / 2).append("\" y=\"").append(3 * PANEL + 32)
        .append("\" text-anchor=\"middle\">seconds since the workload started</text></svg>");
  }

  private static final List<String> COLORS = List.of("#0969da", "#8250df", "#bf8700", "#1a7f37");

  /** One panel: a line per series (colours in order; the ok/s and errors/s panels have one, green and red). */
  private static void panel(StringBuilder b, int row, String label, int n,
      Map<String, java.util.function.IntToDoubleFunction> series, double dx) {
    double max = 1;
    for (var y : series.values()) for (int i = 0; i < n; i++) max = Math.max(max, y.applyAsDouble(i));
    int top = row * PANEL + 14;
    int height = PANEL - 24;
    b.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(W - 20).append("\" y1=\"").append(top + height)
        .append("\" y2=\"").append(top + height).append("\" stroke=\"#999\"/>");
    b.append("<text x=\"4\" y=\"").append(top + height / 2).append("\">").append(esc(label)).append("</text>");
    b.append("<text x=\"").append(LEFT - 4).append("\" y=\"").append(top + 8).append("\" text-anchor=\"end\">")
        .append(fmt(max)).append("</text>");
    int k = 0;
    for (var e : series.entrySet()) {
      String color = row == 0 ? "#1a7f37" : row == 1 ? "#cf222e" : COLORS.get(k % COLORS.size());
      StringBuilder pts = new StringBuilder();
      for (int i = 0; i < n; i++) {
        pts.append(fmt(LEFT + (i + 0.5) * dx)).append(',')
            .append(fmt(top + height - e.getValue().applyAsDouble(i) / max * height)).append(' ');
      }
      b.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.5\" points=\"").append(pts)
          .append("\"/>");
      if (!e.getKey().isEmpty()) {
        b.append("<text x=\"").append(W - 24 - 60 * k).append("\" y=\"").append(top + 10).append("\" text-anchor=\"end\" fill=\"")
            .append(color).append("\">").append(esc(e.getKey())).append("</text>");
      }
      k++;
    }
  }

  private static String rect(double x, double y, double w, double h, String fill) {
    return "<rect x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" width=\"" + fmt(w) + "\" height=\"" + fmt(h) + "\" fill=\"" + fill
        + "\"/>";
  }

  private static String fmt(double d) {
    return String.format(java.util.Locale.ROOT, "%.1f", d);
  }

  private static String sec(long ms) {
    return ms < 0 ? "-" : String.format(java.util.Locale.ROOT, "%.1f", ms / 1000.0);
  }

  static String esc(String s) {
    if (s == null) return "";
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
