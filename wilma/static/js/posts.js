/* Posts: like without reload, the "new posts" bar, @mention autocomplete, poll voting, confirmations.
   No inline scripts (CSP); everything hooks onto data attributes and classes of the post templates. */
(function () {
  "use strict";

  /* Like / unlike through the API; the form still works without JavaScript. */
  function setupLike(form) {
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const button = form.querySelector("button");
      const postId = button.dataset.postId;
      const liked = button.getAttribute("aria-pressed") === "true";
      button.disabled = true;
      try {
        const data = await wilma.api(liked ? "DELETE" : "POST", "/api/v1/posts/" + postId + "/like");
        button.setAttribute("aria-pressed", data.liked ? "true" : "false");
        button.classList.toggle("secondary", !data.liked);
        form.querySelector("input[name=liked]").value = data.liked ? "0" : "1";
        const label = form.querySelector(".js-like-label");
        label.textContent = data.liked ? (label.dataset.unlike || "♥") : (label.dataset.like || "♡");
        const card = form.closest(".post");
        const count = card && card.querySelector(".js-like-count");
        if (count) {  // "1 like", "2 likes": the server's two forms, with the number put in
          const form = data.like_count === 1 ? count.dataset.one : count.dataset.other;
          count.textContent = (form || count.textContent).replace(/\d+/, String(data.like_count));
          count.dataset.count = data.like_count;
        }
      } catch (err) {
        window.alert(err.message);
      } finally {
        button.disabled = false;
      }
    });
  }

  /* "3 new posts": announcements carry only ids; on click the page's stream is fetched again and the
     new cards are put on top (the server decides what this person may see). */
  function setupNewPostsBar(bar) {
    const stream = document.getElementById("stream");
    if (!stream || typeof window.io !== "function") { return; }
    const groupId = bar.dataset.groupId ? Number(bar.dataset.groupId) : null;
    const fresh = new Set();
    const shared = window.wilma = window.wilma || {};  // one connection per page, shared with the bell
    const socket = shared.socket = shared.socket || window.io({ transports: ["websocket", "polling"], withCredentials: true });
    socket.on("feed:new_post", function (payload) {
      if (!payload || (groupId !== null && payload.group_id !== groupId)) { return; }
      if (document.getElementById("post-" + payload.post_id)) { return; }
      fresh.add(payload.post_id);
      const n = fresh.size;
      bar.textContent = n === 1 ? bar.dataset.templateOne : bar.dataset.templateMany.replace("{n}", String(n));
      bar.hidden = false;
    });
    socket.on("poll:updated", function (payload) { refreshPoll(payload.poll_id); });
    bar.addEventListener("click", async function () {
      const url = new URL(window.location.href);
      url.searchParams.delete("cursor");
      const response = await fetch(url, { credentials: "same-origin" });
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const cards = Array.from(doc.querySelectorAll("#stream > .post")).filter(function (card) {
        return !document.getElementById(card.id);
      });
      cards.reverse().forEach(function (card) {
        stream.prepend(document.importNode(card, true));
        card = document.getElementById(card.id);
        if (card) { wire(card); }
      });
      fresh.clear();
      bar.hidden = true;
      const first = stream.querySelector(".post");
      if (first) { first.setAttribute("tabindex", "-1"); first.focus(); }
    });
  }

  /* Poll: vote through the API and redraw the results in place. */
  async function refreshPoll(pollId) {
    const section = document.querySelector('.poll[data-poll-id="' + pollId + '"]');
    if (!section) { return; }
    try {
      const poll = await wilma.api("GET", "/api/v1/polls/" + pollId);
      if (poll.results_visible) { renderResults(section, poll); }
    } catch (err) { /* the post may have gone away */ }
  }

  function renderResults(section, poll) {
    let list = section.querySelector(".poll-results");
    if (!list) {
      list = document.createElement("ul");
      list.className = "poll-results";
      section.prepend(list);
    }
    list.replaceChildren();
    poll.options.forEach(function (option) {
      const share = poll.voter_count ? Math.round(option.votes * 100 / poll.voter_count) : 0;
      const item = document.createElement("li");
      if (poll.my_votes.indexOf(option.id) >= 0) { item.className = "poll-mine"; }
      const label = document.createElement("span");
      label.className = "poll-label";
      label.textContent = option.label;
      const meter = document.createElement("meter");
      meter.min = 0; meter.max = 100; meter.value = share;
      const count = document.createElement("span");
      count.className = "small";
      count.textContent = option.votes + " (" + share + " %)";
      item.append(label, meter, count);
      list.append(item);
    });
  }

  function setupPoll(form) {
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const section = form.closest(".poll");
      const ids = Array.from(form.querySelectorAll("input[name=option_id]:checked")).map(function (i) { return Number(i.value); });
      try {
        const poll = await wilma.api("POST", "/api/v1/polls/" + section.dataset.pollId + "/vote", { option_ids: ids });
        renderResults(section, poll);
      } catch (err) {
        window.alert(err.message);
      }
    });
  }

  /* @mention autocomplete: a listbox under the textarea, fed by the suggestion endpoint. */
  function setupMention(textarea) {
    const list = document.createElement("ul");
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    textarea.after(list);
    textarea.setAttribute("aria-autocomplete", "list");
    let timer = null;
    function currentWord() {
      const before = textarea.value.slice(0, textarea.selectionStart);
      const match = /(^|\s)@([\w.-]{1,40})$/.exec(before);
      return match ? match[2] : null;
    }
    function choose(username) {
      const pos = textarea.selectionStart;
      const before = textarea.value.slice(0, pos).replace(/@[\w.-]*$/, "@" + username + " ");
      textarea.value = before + textarea.value.slice(pos);
      textarea.selectionStart = textarea.selectionEnd = before.length;
      list.hidden = true;
      textarea.focus();
    }
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      const word = currentWord();
      if (!word) { list.hidden = true; return; }
      timer = setTimeout(async function () {
        const url = new URL(textarea.dataset.mentionUrl, window.location.href);
        url.searchParams.set("q", word);
        const response = await fetch(url, { credentials: "same-origin" });
        if (!response.ok) { list.hidden = true; return; }
        const people = await response.json();
        list.replaceChildren();
        people.forEach(function (person) {
          const item = document.createElement("li");
          item.setAttribute("role", "option");
          item.tabIndex = 0;
          item.textContent = person.name + " (@" + person.username + ")";
          item.addEventListener("mousedown", function (e) { e.preventDefault(); choose(person.username); });
          item.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); choose(person.username); } });
          list.append(item);
        });
        list.hidden = people.length === 0;
      }, 150);
    });
    textarea.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { list.hidden = true; }
      if (e.key === "ArrowDown" && !list.hidden && list.firstChild) { e.preventDefault(); list.firstChild.focus(); }
    });
  }

  function wire(root) {
    root.querySelectorAll("form.js-like").forEach(setupLike);
    root.querySelectorAll("form.js-poll").forEach(setupPoll);
    root.querySelectorAll("form.js-confirm").forEach(function (form) {
      form.addEventListener("submit", function (e) { if (!window.confirm(form.dataset.confirm)) { e.preventDefault(); } });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    wire(document);
    document.querySelectorAll("textarea.js-mention").forEach(setupMention);
    const bar = document.getElementById("new-posts-bar");
    if (bar) { setupNewPostsBar(bar); }
  });
})();
