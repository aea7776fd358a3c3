/* Groups: the invite field suggests people as one types (native datalist, filled from /people/suggest). */
(function () {
  "use strict";

  function suggestPeople(input) {
    const list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    let timer = null;
    input.addEventListener("input", suggest);
    if (input.value) { suggest(); }  // typed before the script ran

    function suggest() {
      clearTimeout(timer);
      const query = input.value.replace(/^@/, "").trim();
      if (query.length < 2) { return; }
      timer = setTimeout(async function () {
        const url = new URL(input.dataset.suggestUrl, window.location.href);
        url.searchParams.set("q", query);
        const response = await fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } });
        if (!response.ok) { return; }
        const people = await response.json();
        list.replaceChildren(...people.map(function (person) {
          const option = document.createElement("option");
          option.value = person.username;
          option.label = person.name + (person.title ? " – " + person.title : "");
          return option;
        }));
      }, 150);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggest-url][list]").forEach(suggestPeople);
  });
})();
