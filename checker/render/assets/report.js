/* checker HTML report: passage linking, finding navigation, sorting and filtering.
   Everything works from the DOM; the page reads fine without this script. */
(function () {
  "use strict";
  var findings = Array.prototype.slice.call(document.querySelectorAll("article.finding"));
  var current = -1;
  var pos = document.getElementById("finding-pos");

  function otherSide(side) { return side === "d" ? "s" : "d"; }

  // Show passage n of a finding: highlight it on both sides, scroll `toSide` to it.
  function showPassage(finding, n, toSide) {
    var marks = finding.querySelectorAll("mark.p");
    for (var i = 0; i < marks.length; i++) {
      var on = (" " + marks[i].getAttribute("data-p") + " ").indexOf(" " + n + " ") >= 0;
      marks[i].classList.toggle("active", on);
    }
    var sides = toSide ? [toSide] : ["d", "s"];
    var target = null;
    sides.forEach(function (side) {
      var m = finding.querySelector('.pane[data-side="' + side + '"] mark.p[data-p~="' + n + '"]');
      if (m) {
        scrollPane(m);
        target = target || m;
      }
    });
    if (target && toSide) { target.scrollIntoView({ block: "nearest" }); }
    return target;
  }

  // Scroll a mark to the middle of its own pane (and the pane into view).
  function scrollPane(m) {
    var pane = m.closest(".pane");
    var top = m.offsetTop - pane.clientHeight / 2 + m.offsetHeight / 2;
    pane.scrollTop = Math.max(0, top);
  }

  function fromMark(m) {
    var finding = m.closest("article.finding");
    var pane = m.closest(".pane");
    var n = m.getAttribute("data-p").split(" ")[0];
    var target = showPassage(finding, n, otherSide(pane.getAttribute("data-side")));
    scrollPane(m);
    return target;
  }

  document.addEventListener("click", function (e) {
    var m = e.target.closest("mark.p");
    if (m) { fromMark(m); return; }
    var b = e.target.closest("button.show");
    if (b) {
      var finding = b.closest("article.finding");
      showPassage(finding, b.getAttribute("data-p"), null);
      finding.querySelector(".side-by-side").scrollIntoView({ block: "nearest" });
    }
  });

  function visible(el) {
    return !el.closest("[hidden]");
  }

  function goFinding(step) {
    var list = findings.filter(visible);
    if (!list.length) { return; }
    var at = list.indexOf(findings[current]);
    var next = at < 0 ? (step > 0 ? 0 : list.length - 1)
      : Math.min(list.length - 1, Math.max(0, at + step));
    findings.forEach(function (f) { f.classList.remove("current"); });
    var f = list[next];
    current = findings.indexOf(f);
    f.classList.add("current");
    var h = f.querySelector("h3");
    h.focus({ preventScroll: true });
    f.scrollIntoView({ block: "start" });
    if (pos) { pos.textContent = "Finding " + (next + 1) + " of " + list.length; }
  }

  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    if (t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA")) { return; }
    if ((e.key === "Enter" || e.key === " ") && t && t.matches && t.matches("mark.p")) {
      e.preventDefault();
      var target = fromMark(t);
      if (target) { target.focus({ preventScroll: true }); }
      return;
    }
    if (e.key === "j" || e.key === "n") { e.preventDefault(); goFinding(1); }
    else if (e.key === "k" || e.key === "p") { e.preventDefault(); goFinding(-1); }
  });

  // Each text opens at its first passage, not at its first line.
  document.querySelectorAll(".pane").forEach(function (pane) {
    var first = pane.querySelector("mark.p");
    if (first) { pane.scrollTop = Math.max(0, first.offsetTop - 48); }
  });

  var nav = document.querySelector(".finding-nav");
  if (nav && findings.length) {
    nav.hidden = false;
    document.getElementById("next-finding").addEventListener("click", function () { goFinding(1); });
    document.getElementById("prev-finding").addEventListener("click", function () { goFinding(-1); });
  }

  // Overview: sort by a column, filter by verdict and reason (the drafts' sections too).
  var table = document.querySelector("table.overview");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  table.querySelectorAll("th[data-sort] button").forEach(function (button) {
    button.addEventListener("click", function () {
      var th = button.parentNode;
      var key = th.getAttribute("data-sort");
      var asc = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("th[data-sort]").forEach(function (o) { o.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var numeric = key !== "path";
      rows.sort(function (a, b) {
        var x = a.getAttribute("data-" + key), y = b.getAttribute("data-" + key);
        var c = numeric ? Number(x) - Number(y) : x.localeCompare(y);
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });

  var fv = document.getElementById("filter-verdict");
  var fr = document.getElementById("filter-reason");
  var status = document.getElementById("filter-status");
  function applyFilter() {
    var v = fv.value, r = fr.value, shown = 0;
    rows.forEach(function (row) {
      var ok = (!v || row.getAttribute("data-verdict") === v)
        && (!r || (" " + row.getAttribute("data-reasons") + " ").indexOf(" " + r + " ") >= 0);
      row.hidden = !ok;
      var section = document.getElementById(row.getAttribute("data-target"));
      if (section) { section.hidden = !ok; }
      if (ok) { shown++; }
    });
    status.textContent = "Showing " + shown + " of " + rows.length + " drafts";
  }
  fv.addEventListener("change", applyFilter);
  fr.addEventListener("change", applyFilter);
  document.getElementById("controls").hidden = false;
}());
