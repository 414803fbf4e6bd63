// reminderd's page script. No framework, no external assets. Every page works without it
// (forms post, links link); this only makes things quicker: done and undo in place, copy
// buttons, the date picker, the year view's day panel and keyboard moves.
"use strict";
document.documentElement.classList.add("js");

var liveTimer = 0;
function live(text) {
  var box = document.getElementById("live");
  if (!box) return;
  box.textContent = "";
  var p = document.createElement("p");
  p.className = "flash";
  p.textContent = text;
  box.appendChild(p);
  clearTimeout(liveTimer);
  liveTimer = setTimeout(function () { box.textContent = ""; }, 8000);
}

// ---- copy buttons (subscribe page) -------------------------------------------------------
document.addEventListener("click", function (e) {
  var b = e.target.closest && e.target.closest("button.copy");
  if (!b) return;
  var input = document.getElementById(b.dataset.copy);
  if (!input) return;
  var label = b.textContent;
  function done() { b.textContent = b.dataset.done || "✓"; setTimeout(function () { b.textContent = label; }, 1500); }
  input.select();
  if (navigator.clipboard && window.isSecureContext) {
    // Said at once: a browser may sit on the permission question; the text is selected anyway.
    navigator.clipboard.writeText(input.value).catch(function () { document.execCommand("copy"); });
  } else {
    document.execCommand("copy");  // plain-http intranet servers have no Clipboard API
  }
  done();
});

// ---- done and undo in place --------------------------------------------------------------
// The form posts as usual, asking for the changed row back; the row is swapped where it is
// and the status line says what happened. Anything unexpected: the plain post instead.
document.addEventListener("submit", function (e) {
  var form = e.target;
  if (!form.matches || !form.matches("form.done-form, form.undo-form")) return;
  var row = form.closest("article.task");
  if (!row || !window.fetch) return;
  e.preventDefault();
  var buttons = form.querySelectorAll("button");
  buttons.forEach(function (b) { b.disabled = true; });
  fetch(form.action, {
    method: "POST", credentials: "same-origin",
    headers: {"X-Reminderd-Fragment": "1", "X-Reminderd-Path": location.pathname,
              "Content-Type": "application/x-www-form-urlencoded"},
    body: new URLSearchParams(new FormData(form)).toString()
  }).then(function (r) {
    if (!r.ok) throw new Error(String(r.status));
    return r.json();
  }).then(function (got) {
    var box = document.createElement("div");
    box.innerHTML = got.html;
    var fresh = box.querySelector("article.task");
    if (!fresh) throw new Error("no row");
    row.replaceWith(fresh);
    live(got.said);
    var next = fresh.querySelector(got.done ? "form.undo-form button" : "form.done-form button[type=submit]");
    if (next) next.focus();
  }).catch(function () {
    buttons.forEach(function (b) { b.disabled = false; });
    form.submit();
  });
});

// ---- ad-hoc form: date picker, lunar boxes -------------------------------------------------
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("button.pickbtn").forEach(function (b) {
    var pick = document.getElementById(b.dataset.pick);
    if (!pick || typeof pick.showPicker !== "function") return;  // the picker stays as it is
    b.hidden = false;
    pick.classList.add("sr-only");
    pick.tabIndex = -1;
    b.addEventListener("click", function () { try { pick.showPicker(); } catch (err) { pick.focus(); } });
  });
  document.querySelectorAll("input[type=date].pick").forEach(function (pick) {
    pick.addEventListener("change", function () {
      var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(pick.value);
      var text = document.getElementById("f-date");
      if (m && text) { text.value = m[3] + "/" + m[2] + "/" + m[1]; text.focus(); }
    });
  });
  var lunar = document.getElementById("f-lunar");
  if (lunar) {
    var box = lunar.closest("fieldset");
    var sync = function () { box.classList.toggle("is-lunar", lunar.checked); };
    lunar.addEventListener("change", sync);
    sync();
  }
});

// ---- year view ---------------------------------------------------------------------------
(function () {
  var months = document.querySelector(".months[data-this-month]");
  if (!months) return;
  var data = {events: {}, tasks: [], holidays: {}};
  try { data = JSON.parse(document.getElementById("year-data").textContent); } catch (err) { /* panels stay empty */ }

  function colourOf(tag) {
    var dot = document.querySelector('.legend [data-tag="' + tag + '"] .dot');
    return dot ? dot.style.getPropertyValue("--c") : "";
  }
  function el(name, text, cls) {
    var x = document.createElement(name);
    if (text) x.textContent = text;
    if (cls) x.className = cls;
    return x;
  }
  function list(items, render) {
    var ul = el("ul");
    items.forEach(function (it) { ul.appendChild(render(it)); });
    return ul;
  }
  function taskLine(t) {
    var li = el("li", t[2]);
    li.appendChild(el("span", " — " + t[4], "muted"));
    return li;
  }

  function show(button) {
    var td = button.closest("td.day");
    var month = td.closest("section.month");
    var panel = month.querySelector(".daypanel");
    var was = td.classList.contains("picked");
    document.querySelectorAll("td.day.picked").forEach(function (x) { x.classList.remove("picked"); });
    document.querySelectorAll(".daypanel").forEach(function (p) { p.hidden = true; p.textContent = ""; });
    document.querySelectorAll("button.d[aria-expanded]").forEach(function (b) { b.removeAttribute("aria-expanded"); });
    if (was) return;  // a second tap on the same day closes it
    td.classList.add("picked");
    button.setAttribute("aria-expanded", "true");
    var day = td.dataset.date;
    var head = button.querySelector(".sr-only").textContent.split(";")[0];
    panel.appendChild(el("h3", head));
    var evs = data.events[day] || [];
    var due = [], open = {}, nopen = 0;
    data.tasks.forEach(function (t) {
      if (t[0] <= day && day <= t[1]) {
        if (t[1] === day) { due.push(t); } else { (open[t[3]] = open[t[3]] || []).push(t); nopen++; }
      }
    });
    if (evs.length) {
      panel.appendChild(el("h4", months.dataset.events + " (" + evs.length + ")"));
      panel.appendChild(list(evs, function (e) {
        var li = el("li");
        var dot = el("span", "", "dot");
        dot.style.setProperty("--c", colourOf(e[1]));
        li.appendChild(dot);
        li.appendChild(document.createTextNode(e[0]));
        return li;
      }));
    }
    if (due.length) {
      panel.appendChild(el("h4", months.dataset.due + " (" + due.length + ")"));
      var byDep = {};
      due.forEach(function (t) { (byDep[t[3]] = byDep[t[3]] || []).push(t); });
      Object.keys(byDep).forEach(function (dep) {
        panel.appendChild(el("p", dep + " (" + byDep[dep].length + ")", "depname"));
        panel.appendChild(list(byDep[dep], taskLine));
      });
    }
    if (nopen) {
      var det = el("details", "", "open-tasks");
      det.appendChild(el("summary", months.dataset.open + " (" + nopen + ")"));
      Object.keys(open).forEach(function (dep) {
        det.appendChild(el("p", dep + " (" + open[dep].length + ")", "depname"));
        det.appendChild(list(open[dep], taskLine));
      });
      panel.appendChild(det);
    }
    if (!evs.length && !due.length && !nopen) panel.appendChild(el("p", months.dataset.empty, "muted"));
    panel.hidden = false;
  }

  months.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button.d");
    if (b) show(b);
  });

  // Arrow keys move between days (a week up and down); one Tab stop per month.
  var STEP = {ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7};
  months.addEventListener("keydown", function (e) {
    var b = e.target.closest && e.target.closest("button.d");
    if (!b) return;
    if (e.key === "Escape") {
      var td0 = b.closest("td.day");
      if (td0.classList.contains("picked")) show(b);
      return;
    }
    if (!(e.key in STEP)) return;
    var d = new Date(b.closest("td.day").dataset.date + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + STEP[e.key]);
    var target = document.querySelector('td.day[data-date="' + d.toISOString().slice(0, 10) + '"] button.d');
    if (!target) return;
    e.preventDefault();
    var from = b.closest("section.month"), to = target.closest("section.month");
    to.querySelectorAll("button.d").forEach(function (x) { x.tabIndex = -1; });
    if (from === to) b.tabIndex = -1;
    target.tabIndex = 0;
    target.focus();
  });

  // On a phone the year opens at the current month, not at January.
  var now = Number(months.dataset.thisMonth);
  if (now > 1 && !location.hash && window.matchMedia("(max-width: 700px)").matches) {
    var sec = document.getElementById("m-" + now);
    if (sec) sec.scrollIntoView({block: "start"});
  }
})();
