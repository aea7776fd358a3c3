// Polls the rebuild progress on /admin/search while a rebuild runs.
(function () {
  "use strict";
  var box = document.getElementById("rebuild-progress");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var text = document.getElementById("rebuild-text");

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_m, key) {
      var v = values[key];
      return v === null || v === undefined ? "?" : String(v);
    });
  }

  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (p) {
        if (p.total) { bar.max = p.total; }
        bar.value = p.done || 0;
        if (p.state === "running") {
          var label = p.phase === "finishing" ? box.dataset.labelFinishing : box.dataset.labelRunning;
          text.textContent = fill(label, { done: p.done, total: p.total, rate: p.rate, eta: p.eta_seconds });
          window.setTimeout(poll, 1000);
        } else if (p.state === "done") {
          text.textContent = fill(box.dataset.labelDone, { done: p.done, rate: p.rate });
        } else if (p.state === "failed") {
          text.textContent = fill(box.dataset.labelFailed, { error: p.error });
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  if (box.dataset.state === "running") { poll(); }
})();
