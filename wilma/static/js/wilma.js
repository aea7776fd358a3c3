/* WILMA's shared browser code: CSRF for fetch, live search in lists. No inline scripts (CSP). */
(function () {
  "use strict";
  const meta = document.querySelector('meta[name="csrf-token"]');
  window.wilma = window.wilma || {};
  wilma.csrfToken = meta ? meta.content : "";

  /* fetch with the CSRF header and JSON handling; rejects with the API's error message */
  wilma.api = async function (method, url, body) {
    const options = { method: method, headers: { "X-CSRFToken": wilma.csrfToken, "Accept": "application/json" }, credentials: "same-origin" };
    if (body !== undefined) { options.headers["Content-Type"] = "application/json"; options.body = JSON.stringify(body); }
    const response = await fetch(url, options);
    const data = response.status === 204 ? null : await response.json().catch(function () { return null; });
    if (!response.ok) { throw new Error((data && data.error && data.error.message) || response.statusText); }
    return data;
  };

  /* A form with data-live-search="#target" refreshes #target as the user types. */
  function liveSearch(form) {
    const target = document.querySelector(form.dataset.liveSearch);
    const input = form.querySelector("input[type=search]");
    if (!target || !input) { return; }
    let timer = null, last = input.value;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(async function () {
        if (input.value === last) { return; }
        last = input.value;
        const url = new URL(form.action || window.location.href, window.location.href);
        url.searchParams.set("q", input.value);
        const response = await fetch(url, { credentials: "same-origin" });
        const doc = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = doc.querySelector(form.dataset.liveSearch);
        if (fresh) { target.replaceChildren(...fresh.childNodes); }
        history.replaceState(null, "", url);
      }, 200);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-live-search]").forEach(liveSearch);
    document.querySelectorAll("select#locale-select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  });
})();
