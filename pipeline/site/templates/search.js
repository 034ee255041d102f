// Search and filtering of the catalog site, in the browser: the index is the global that
// search-index.js sets (a page opened from a file may not fetch another file).
(function () {
  "use strict";
  var SHOWN = 200;
  var KIND_NAMES = { role: "role", competency: "competency", esco: "ESCO skill" };
  var index = window.COMPCAT_INDEX || { fields: [], rows: [] };
  var col = {};
  index.fields.forEach(function (name, i) { col[name] = i; });
  var rows = index.rows.map(function (r) {
    return { kind: r[col.kind], name: r[col.name], vendor: r[col.vendor], href: r[col.href], detail: r[col.detail],
             text: (r[col.name] + " " + r[col.words]).toLowerCase() };
  });
  var q = document.getElementById("q"), kind = document.getElementById("kind"), vendor = document.getElementById("vendor"),
      detail = document.getElementById("detail"), count = document.getElementById("count"), results = document.getElementById("results");

  function fill(select, values) {
    var keep = select.value;
    while (select.options.length > 1) { select.remove(1); }
    values.forEach(function (v) { var o = document.createElement("option"); o.value = v; o.textContent = v; select.appendChild(o); });
    select.value = values.indexOf(keep) >= 0 ? keep : "";
  }
  function distinct(list, key) {
    var seen = {};
    list.forEach(function (r) { if (r[key]) { seen[r[key]] = true; } });
    return Object.keys(seen).sort();
  }

  function run() {
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var ofKind = rows.filter(function (r) { return !kind.value || r.kind === kind.value; });
    fill(vendor, distinct(ofKind, "vendor"));
    var ofVendor = ofKind.filter(function (r) { return !vendor.value || r.vendor === vendor.value; });
    fill(detail, distinct(ofVendor, "detail"));
    var found = ofVendor.filter(function (r) {
      return (!detail.value || r.detail === detail.value) && words.every(function (w) { return r.text.indexOf(w) >= 0; });
    });
    results.textContent = "";
    found.slice(0, SHOWN).forEach(function (r) {
      var li = document.createElement("li"), a = document.createElement("a"), meta = document.createElement("span");
      a.href = r.href;
      a.textContent = r.name;
      meta.className = "note";
      meta.textContent = " " + KIND_NAMES[r.kind] + (r.vendor !== "esco" ? " · " + r.vendor : "") + (r.detail ? " · " + r.detail : "");
      li.appendChild(a);
      li.appendChild(meta);
      results.appendChild(li);
    });
    count.textContent = found.length === 0 ? "Nothing found." :
      found.length + " found" + (found.length > SHOWN ? "; the first " + SHOWN + " shown: add words or filters to narrow" : "") + ".";
    var params = new URLSearchParams();
    [["q", q.value], ["kind", kind.value], ["vendor", vendor.value], ["detail", detail.value]].forEach(function (p) { if (p[1]) { params.set(p[0], p[1]); } });
    history.replaceState(null, "", params.toString() ? "?" + params.toString() : location.pathname);
  }

  var start = new URLSearchParams(location.search);
  q.value = start.get("q") || "";
  kind.value = start.get("kind") || "";
  fill(vendor, distinct(rows, "vendor"));
  vendor.value = start.get("vendor") || "";
  fill(detail, distinct(rows, "detail"));
  detail.value = start.get("detail") || "";
  [q, kind, vendor, detail].forEach(function (el) { el.addEventListener("input", run); el.addEventListener("change", run); });
  run();
}());
