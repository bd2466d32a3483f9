/** The viewer page's style and its one script (filters, expand all), inlined so the page is one file. */
export const VIEWER_CSS = `
:root { --fg: #1d2330; --muted: #5b6473; --line: #d9dee7; --bg: #f6f7f9; --ok: #137333; --bad: #b3261e; --warn: #8a5a00; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header.page { padding: 16px 24px; background: #fff; border-bottom: 1px solid var(--line); }
header.page h1 { margin: 0 0 4px; font-size: 20px; }
main { padding: 16px 24px; max-width: 1200px; }
.muted { color: var(--muted); }
table.index { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
table.index th, table.index td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); }
table.index th { background: #eef1f5; font-weight: 600; }
.filters { display: flex; gap: 16px; align-items: center; margin: 12px 0; flex-wrap: wrap; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; background: #e8eaed; }
.badge.correct, .badge.approve, .badge.finished { background: #e6f4ea; color: var(--ok); }
.badge.incorrect, .badge.request_changes { background: #fce8e6; color: var(--bad); }
.badge.unlabeled, .badge.none { background: #fef7e0; color: var(--warn); }
section.trajectory { background: #fff; border: 1px solid var(--line); border-radius: 6px; margin: 20px 0; padding: 12px 16px; }
section.trajectory h2 { margin: 0 0 6px; font-size: 17px; }
.summary-line { display: flex; gap: 10px; flex-wrap: wrap; align-items: center; margin-bottom: 8px; }
details { border: 1px solid var(--line); border-radius: 4px; margin: 6px 0; background: #fbfbfc; }
details > summary { cursor: pointer; padding: 5px 10px; }
details[open] > summary { border-bottom: 1px solid var(--line); }
.step-body { padding: 8px 12px; }
.step-meta { color: var(--muted); font-size: 12px; }
pre { white-space: pre-wrap; word-break: break-word; margin: 6px 0; padding: 8px; background: #f1f3f6; border-radius: 4px; font: 12.5px/1.4 ui-monospace, "SFMono-Regular", Menlo, monospace; }
.reasoning pre { background: #f4f0fb; }
.call pre { background: #eef5ff; }
.observation.error pre { background: #fdecea; }
.label { font-weight: 600; font-size: 12px; text-transform: uppercase; color: var(--muted); margin-top: 8px; }
.report { border-left: 4px solid var(--line); padding: 4px 12px; margin: 10px 0; }
.report.approve { border-color: var(--ok); } .report.request_changes { border-color: var(--bad); }
table.defects { border-collapse: collapse; width: 100%; } table.defects td, table.defects th { border: 1px solid var(--line); padding: 4px 8px; vertical-align: top; text-align: left; }
.hidden { display: none; }
`;

export const VIEWER_SCRIPT = `
(function () {
  var selects = document.querySelectorAll("select[data-filter]");
  function apply() {
    var wanted = {};
    selects.forEach(function (select) { wanted[select.dataset.filter] = select.value; });
    var shown = 0;
    document.querySelectorAll("[data-key]").forEach(function (element) {
      var visible = Object.keys(wanted).every(function (name) {
        return wanted[name] === "" || element.dataset[name] === wanted[name];
      });
      element.classList.toggle("hidden", !visible);
      if (visible && element.tagName === "TR") shown++;
    });
    var count = document.getElementById("shown-count");
    if (count) count.textContent = String(shown);
  }
  selects.forEach(function (select) { select.addEventListener("change", apply); });
  var toggle = document.getElementById("expand-all");
  if (toggle) toggle.addEventListener("click", function () {
    var open = toggle.dataset.open !== "true";
    document.querySelectorAll("section.trajectory details").forEach(function (d) { d.open = open; });
    toggle.dataset.open = String(open);
    toggle.textContent = open ? "Collapse all" : "Expand all";
  });
  apply();
})();
`;
