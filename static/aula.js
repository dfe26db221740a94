// Adds the visitor's local time beside every programme time, and asks
// before deleting in the console.  The pages are complete without it.
(function () {
  "use strict";
  var label = document.body.getAttribute("data-local-label") || "";
  var lang = document.documentElement.lang || "es";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { zone = ""; }
  var fmt = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hour12: false });
  var dayFmt = new Intl.DateTimeFormat(lang, { weekday: "short", day: "numeric", month: "short" });
  // The visitor's clock and the edition's, to leave out a local time that
  // says the same as the programme's.
  var when = { day: "numeric", hour: "2-digit", minute: "2-digit", hour12: false };
  var hereFmt = new Intl.DateTimeFormat("en", when), thereFmt = null;
  var editionZone = document.body.getAttribute("data-zone");
  if (editionZone) {
    try { thereFmt = new Intl.DateTimeFormat("en", Object.assign({ timeZone: editionZone }, when)); }
    catch (e) { thereFmt = null; }
  }
  var shown = 0;
  document.querySelectorAll("time[datetime]").forEach(function (el) {
    var iso = el.getAttribute("datetime");
    if (!/Z$/.test(iso)) return;
    var d = new Date(iso);
    if (isNaN(d)) return;
    if (thereFmt && thereFmt.format(d) === hereFmt.format(d)) return;
    shown++;
    var span = document.createElement("span");
    span.className = "local-time";
    span.setAttribute("title", zone);
    var text = fmt.format(d);
    // When the local date differs from the programme's, say which day.
    var parentDay = el.closest("[data-date]");
    var local = d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" +
      String(d.getDate()).padStart(2, "0");
    if (parentDay && local !== parentDay.getAttribute("data-date")) {
      text = dayFmt.format(d) + " " + text;
    }
    span.textContent = " (" + text + " " + label + ")";
    el.after(span);
  });
  document.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
  if (shown) document.querySelectorAll(".js-local-note").forEach(function (el) { el.hidden = false; });
  // A time zone not chosen yet: the browser's own, when it is in the list.
  var zoneSelect = document.querySelector("select[data-guess-zone]");
  if (zoneSelect && zone) {
    // Browsers may name a zone by an older alias (America/Buenos_Aires):
    // then the place with the same city is taken.
    var city = "/" + zone.split("/").pop(), pick = -1;
    for (var i = 0; i < zoneSelect.options.length; i++) {
      var v = zoneSelect.options[i].value;
      if (v === zone) { pick = i; break; }
      if (pick < 0 && v.slice(-city.length) === city) pick = i;
    }
    if (pick >= 0) zoneSelect.selectedIndex = pick;
  }
  // An error summary takes the focus, and each of its links moves the focus
  // to its field (and brings the field's label into view).
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.querySelectorAll('a[href^="#"]').forEach(function (a) {
      a.addEventListener("click", function (ev) {
        var field = document.getElementById(a.getAttribute("href").slice(1));
        if (!field) return;
        ev.preventDefault();
        var label = field.closest("label") || document.querySelector('label[for="' + field.id + '"]');
        (label || field).scrollIntoView();
        field.focus({ preventScroll: true });
      });
    });
  }
  // "Select all" in a table of rows to decide on: every row's checkbox.
  document.querySelectorAll("input.js-select-all").forEach(function (all) {
    all.addEventListener("change", function () {
      all.form.querySelectorAll("input[type=checkbox][name=enrolment]").forEach(function (box) {
        box.checked = all.checked;
      });
    });
  });
  document.querySelectorAll("form.js-confirm").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      if (!window.confirm(form.getAttribute("data-confirm"))) ev.preventDefault();
    });
  });
})();

// The progress of a bulk sending, refreshed until it is finished.
(function () {
  "use strict";
  var box = document.getElementById("batch-progress");
  if (!box) return;
  var bar = document.getElementById("batch-bar");
  function poll() {
    fetch(location.pathname + "?format=json", { headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (p) {
        bar.value = p.percent;
        bar.textContent = p.percent + "%";
        box.querySelector(".js-sent").textContent = p.sent;
        box.querySelector(".js-failed").textContent = p.failed;
        if (p.finished) location.reload();
        else setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  if (bar.value < 100) setTimeout(poll, 1000);
})();

// Uploads show their progress: the form is sent with XMLHttpRequest, whose
// upload events fetch() does not offer.  Without script the form posts as usual.
(function () {
  "use strict";
  document.querySelectorAll("form.js-upload").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      var bar = form.querySelector(".upload-progress");
      if (!window.FormData || !bar) return;
      ev.preventDefault();
      var xhr = new XMLHttpRequest();
      bar.hidden = false;
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) bar.value = Math.round(e.loaded * 100 / e.total);
      });
      xhr.addEventListener("load", function () {
        document.open();
        document.write(xhr.responseText);
        document.close();
        if (xhr.responseURL) history.replaceState(null, "", xhr.responseURL);
      });
      xhr.open("POST", form.action || location.href);
      xhr.send(new FormData(form));
    });
  });
})();
