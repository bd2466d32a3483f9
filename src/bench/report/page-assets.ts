/** The report's inline style sheet and script (the report loads nothing from anywhere). */

export const REPORT_CSS = `
:root { --fg: #111827; --muted: #6b7280; --line: #e5e7eb; --bg: #fff; --soft: #f9fafb; --good: #dcfce7; --bad: #fee2e2; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 20px 32px; border-bottom: 1px solid var(--line); background: var(--soft); }
header h1 { margin: 0 0 4px; font-size: 20px; }
header dl { display: flex; flex-wrap: wrap; gap: 4px 24px; margin: 8px 0 0; color: var(--muted); }
header dt { font-weight: 600; } header dd { margin: 0 0 0 6px; }
header div { display: flex; }
nav { padding: 8px 32px; border-bottom: 1px solid var(--line); position: sticky; top: 0; background: var(--bg); z-index: 1; }
nav a { margin-right: 16px; color: #2563eb; text-decoration: none; }
main { padding: 8px 32px 48px; max-width: 1400px; }
h2 { margin: 28px 0 8px; font-size: 17px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { margin: 12px 0 6px; font-size: 15px; } h3 small { color: var(--muted); font-weight: normal; }
table { border-collapse: collapse; margin: 8px 0; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: right; vertical-align: top; }
thead th { background: var(--soft); }
tbody th, td.id, .items td, thead th:first-child, .items th { text-align: left; }
.table-scroll { overflow-x: auto; max-width: 100%; }
th.paper, td.paper { background: #eff6ff; }
.convention, .small { color: var(--muted); max-width: 1000px; }
.notes li { margin: 2px 0; }
.cards { display: flex; flex-wrap: wrap; gap: 16px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.confusion td { text-align: center; min-width: 150px; } .confusion small { color: var(--muted); }
td.good { background: var(--good); } td.bad { background: var(--bad); }
svg.chart { width: 560px; max-width: 100%; height: auto; display: block; }
svg .axes line { stroke: #9ca3af; } svg .axes line.grid { stroke: var(--line); }
svg text { font-size: 11px; fill: var(--muted); } svg .axis-label { font-size: 12px; fill: var(--fg); }
.legend span { margin-right: 14px; color: var(--muted); } .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; }
.filters { display: flex; gap: 12px; align-items: center; margin: 8px 0; }
.filters input { width: 320px; padding: 4px 8px; } #item-count { color: var(--muted); }
.items td { font-size: 13px; } .items small { color: var(--muted); }
.outcome.tp, .outcome.tn, .outcome.resolved { background: var(--good); }
.outcome.fp, .outcome.fn, .outcome.failed { background: var(--bad); }
tr[hidden] { display: none; }
`;

/** Filters the items table by text and outcome. */
export const REPORT_SCRIPT = `
(function () {
  var text = document.getElementById("item-filter");
  var outcome = document.getElementById("outcome-filter");
  var count = document.getElementById("item-count");
  if (!text || !outcome || !count) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll("#items tbody tr"));
  function apply() {
    var needle = text.value.trim().toLowerCase();
    var wanted = outcome.value;
    var shown = 0;
    rows.forEach(function (row) {
      var visible = (!needle || row.getAttribute("data-text").indexOf(needle) >= 0) &&
        (!wanted || row.getAttribute("data-outcome") === wanted);
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    count.textContent = shown + " of " + rows.length + " shown";
  }
  text.addEventListener("input", apply);
  outcome.addEventListener("change", apply);
  apply();
})();
`;
