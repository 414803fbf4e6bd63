// Copy buttons on the subscribe page. No framework, no external assets.
document.addEventListener("click", function (e) {
  var b = e.target.closest("button.copy");
  if (!b) return;
  var input = document.getElementById(b.dataset.copy);
  if (!input) return;
  var label = b.textContent;
  function done() { b.textContent = b.dataset.done || "✓"; setTimeout(function () { b.textContent = label; }, 1500); }
  input.select();
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
  } else {
    document.execCommand("copy");  // plain-http intranet servers have no Clipboard API
    done();
  }
});

// Year view: a tap or click on a day shows that day's events and task windows in a panel
// under its month (phones have no hover, so the cell's title tooltip is not enough).
// The cell's title holds the lines: the date first, then one line per event or task.
document.addEventListener("click", function (e) {
  var td = e.target.closest && e.target.closest("td.day");
  if (!td) return;
  var month = td.closest("section.month");
  var panel = month && month.querySelector(".daypanel");
  if (!panel) return;
  var was = td.classList.contains("picked");
  document.querySelectorAll("td.day.picked").forEach(function (x) { x.classList.remove("picked"); });
  document.querySelectorAll(".daypanel").forEach(function (p) { p.hidden = true; });
  if (was) return;  // a second tap on the same day closes it
  td.classList.add("picked");
  var lines = (td.getAttribute("title") || td.dataset.date || "").split("\n");
  panel.textContent = "";
  var head = document.createElement("b");
  head.textContent = lines[0];
  panel.appendChild(head);
  var rest = lines.slice(1).filter(function (l) { return l.trim(); });
  if (rest.length) {
    var ul = document.createElement("ul");
    rest.forEach(function (l) { var li = document.createElement("li"); li.textContent = l; ul.appendChild(li); });
    panel.appendChild(ul);
  } else {
    var p = document.createElement("p");
    p.className = "muted";
    p.textContent = (td.closest(".months") || {}).dataset ? td.closest(".months").dataset.empty : "";
    panel.appendChild(p);
  }
  panel.hidden = false;
});
