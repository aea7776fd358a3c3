/* WILMA chat composer and indicators: Enter to send, @mention autocomplete, files, typing, presence and
 * "seen by". Loaded after chat.js, which exposes window.wilmaChat. Indicators switched off for the
 * installation are neither sent nor shown. */
(function () {
  "use strict";
  const chat = window.wilmaChat;
  if (!chat || !chat.socket) { return; }
  const d = chat.root.dataset, s = chat.socket, el = chat.el;
  const form = document.getElementById("chat-composer");
  const area = document.getElementById("chat-body");
  const menu = document.getElementById("chat-mentions");
  const fileInput = document.getElementById("chat-file");
  let members = [];
  let lastTyping = 0;

  wilma.api("GET", d.membersUrl).then(function (data) { members = data.items; });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const body = area.value;
    if (!body.trim()) { return; }
    area.value = "";
    closeMenu();
    lastTyping = 0;  // the others' indicator ends with this message; the next keystroke starts it again
    chat.send(body);
  });

  /* --- mentions ------------------------------------------------------------------------------------ */
  let active = -1;
  function mentionQuery() {
    const upto = area.value.slice(0, area.selectionStart);
    const match = /(^|\s)@([\w.-]*)$/.exec(upto);
    return match ? match[2].toLowerCase() : null;
  }
  function closeMenu() { menu.hidden = true; menu.replaceChildren(); active = -1; area.removeAttribute("aria-activedescendant"); }
  function choose(person) {
    const pos = area.selectionStart;
    const upto = area.value.slice(0, pos).replace(/@([\w.-]*)$/, "@" + person.username + " ");
    area.value = upto + area.value.slice(pos);
    area.selectionStart = area.selectionEnd = upto.length;
    closeMenu(); area.focus();
  }
  function openMenu(query) {
    const found = members.filter(function (p) {
      return p.id !== chat.me && (p.username.toLowerCase().startsWith(query) || p.display_name.toLowerCase().includes(query));
    }).slice(0, 8);
    if (!found.length) { closeMenu(); return; }
    menu.replaceChildren();
    found.forEach(function (person, i) {
      const item = el("li", "", person.display_name + " (@" + person.username + ")");
      item.id = "chat-mention-" + i; item.setAttribute("role", "option");
      item.addEventListener("mousedown", function (e) { e.preventDefault(); choose(person); });
      item.person = person;
      menu.appendChild(item);
    });
    menu.hidden = false; highlight(0);
  }
  function highlight(i) {
    const items = menu.querySelectorAll("li");
    active = (i + items.length) % items.length;
    items.forEach(function (item, n) { item.setAttribute("aria-selected", n === active ? "true" : "false"); });
    area.setAttribute("aria-activedescendant", items[active].id);
  }

  area.addEventListener("keydown", function (event) {
    if (!menu.hidden) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") { event.preventDefault(); highlight(active + (event.key === "ArrowDown" ? 1 : -1)); return; }
      if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); choose(menu.querySelectorAll("li")[active].person); return; }
      if (event.key === "Escape") { closeMenu(); return; }
    }
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); form.requestSubmit(); }
  });

  area.addEventListener("input", function () {
    const query = mentionQuery();
    if (query !== null) { openMenu(query); } else { closeMenu(); }
    if (chat.flags.typing && Date.now() - lastTyping > 2500) {
      lastTyping = Date.now();
      s.emit("chat:typing", { channel_id: chat.channelId });
    }
  });

  /* --- files --------------------------------------------------------------------------------------- */
  fileInput.addEventListener("change", async function () {
    const data = new FormData();
    Array.from(fileInput.files).forEach(function (f) { data.append("file", f); });
    data.append("body", area.value);
    data.append("client_msg_id", crypto.randomUUID ? crypto.randomUUID() : String(Date.now()));
    const response = await fetch(d.uploadUrl, { method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRFToken": wilma.csrfToken, "Accept": "application/json" } });
    const body = await response.json().catch(function () { return null; });
    if (!response.ok) { window.alert((body && body.error && body.error.message) || response.statusText); }
    else { area.value = ""; chat.show(body); }
    fileInput.value = "";
  });

  /* --- typing, presence, seen by ------------------------------------------------------------------- */
  const typingLine = document.getElementById("chat-typing");
  const typists = new Map();
  function showTyping() {
    if (!typingLine) { return; }
    const names = Array.from(typists.keys());
    typingLine.textContent = names.length ? chat.label("Typing", { name: names.join(", ") }) : "";
  }
  if (chat.flags.typing) {
    s.on("chat:typing", function (data) {
      if (data.channel_id !== chat.channelId || data.user.id === chat.me) { return; }
      clearTimeout(typists.get(data.user.display_name));
      typists.set(data.user.display_name, setTimeout(function () { typists.delete(data.user.display_name); showTyping(); }, 4000));
      showTyping();
    });
    s.on("chat:message", function (message) {
      if (message.author && typists.has(message.author.display_name)) { typists.delete(message.author.display_name); showTyping(); }
    });
  }
  if (chat.flags.presence) {
    s.on("presence", function (data) {
      const node = document.querySelector('[data-member="' + data.user_id + '"]');
      if (node) { node.dataset.presence = data.status; }
    });
  }
  const seenLine = document.getElementById("chat-seen");
  if (chat.flags.read && seenLine) {
    const readers = new Map();
    s.on("chat:read", function (data) {
      if (data.channel_id !== chat.channelId || data.user_id === chat.me) { return; }
      readers.set(data.user_id, data.message_id);
      const last = document.querySelector(".chat-message[data-id]:last-of-type");
      const lastId = last ? Number(last.dataset.id) : 0;
      const names = members.filter(function (p) { return (readers.get(p.id) || 0) >= lastId; }).map(function (p) { return p.display_name; });
      seenLine.textContent = names.length ? chat.label("Seen", { names: names.join(", ") }) : "";
    });
  }
})();
