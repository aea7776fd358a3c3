/* WILMA chat: live messages over Socket.IO, nothing lost across reconnects. No inline scripts (CSP).
 *
 * The page renders the newest messages; this script keeps the last server id of the open channel and,
 * on every (re)connect, asks the API for everything after it, so a message sent while the tab was
 * offline shows up once, in order. Sends carry a client_msg_id; a retry with the same id is stored once.
 * Composer helpers (mentions, typing, files) live in chat-composer.js.
 */
(function () {
  "use strict";
  const root = document.querySelector(".chat[data-channel-id]");
  if (!root || typeof io === "undefined") { return; }
  const chat = window.wilmaChat = {};
  const d = root.dataset;
  const channelId = Number(d.channelId);
  const me = Number(d.userId);
  const list = document.getElementById("chat-messages");
  const statusLine = document.getElementById("chat-status");
  const flags = { presence: d.presence === "1", typing: d.typing === "1", read: d.readMarkers === "1" };
  const reactions = (d.reactions || "").split(" ").filter(Boolean);
  let lastId = 0, firstId = 0, connectedOnce = false, catchingUp = null

  chat.root = root; chat.channelId = channelId; chat.flags = flags; chat.me = me;
  const shared = window.wilma = window.wilma || {};  // one connection per page, shared with the bell
  chat.socket = shared.socket = shared.socket || io({ transports: ["websocket", "polling"], withCredentials: true });

  function label(key, values) {
    let text = d["label" + key] || "";
    Object.keys(values || {}).forEach(function (k) { text = text.replace("{" + k + "}", values[k]); });
    return text;
  }
  chat.label = label;

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  chat.el = el;

  function bodyNode(message) {
    const body = el("div", "chat-body" + (message.deleted ? " muted" : ""));
    if (message.deleted) { body.textContent = label("Deleted"); } else { body.innerHTML = message.html; } // html is sanitized on the server
    return body;
  }

  function reactionBar(message) {
    const bar = el("div", "chat-reactions");
    (message.reactions || []).forEach(function (r) {
      const b = el("button", "chat-reaction small" + (r.user_ids.indexOf(me) >= 0 ? " is-mine" : ""), r.emoji + " " + r.count);
      b.type = "button"; b.dataset.emoji = r.emoji;
      bar.appendChild(b);
    });
    return bar;
  }

  function actions(node) {
    if (node.querySelector(".chat-actions") || node.classList.contains("is-deleted")) { return; }
    const box = el("div", "chat-actions");
    const react = el("button", "linklike small chat-react", label("React"));
    react.type = "button"; react.setAttribute("aria-expanded", "false");
    box.appendChild(react);
    if (Number(node.dataset.author) === me) {
      const edit = el("button", "linklike small chat-edit", label("Edit"));
      const del = el("button", "linklike small chat-delete", label("Delete"));
      edit.type = del.type = "button";
      box.append(edit, del);
    }
    node.appendChild(box);
  }

  function render(message) {
    const node = el("li", "chat-message" + (message.deleted ? " is-deleted" : ""));
    node.id = "message-" + message.id;
    node.dataset.id = message.id;
    node.dataset.author = message.author ? message.author.id : "";
    const meta = el("div", "chat-meta");
    meta.appendChild(el("strong", "", message.author ? message.author.display_name : "?"));
    const link = el("a", "muted small");
    link.href = message.url;
    const time = el("time", "", new Date(message.created_at).toLocaleString([], { dateStyle: "short", timeStyle: "short" }));
    time.dateTime = message.created_at;
    link.appendChild(time);
    meta.append(" ", link);
    if (message.edited_at && !message.deleted) { meta.append(" ", el("span", "muted small chat-edited", "(" + label("Edited") + ")")); }
    node.append(meta, bodyNode(message));
    (message.deleted ? [] : message.attachments || []).forEach(function (file) {
      const box = el("div", "chat-attachment");
      if (file.is_image) { const img = el("img"); img.src = file.url; img.alt = file.filename; img.loading = "lazy"; box.appendChild(img); }
      else { const a = el("a", "", file.filename); a.href = file.url; box.appendChild(a); }
      node.appendChild(box);
    });
    node.appendChild(reactionBar(message));
    actions(node);
    return node;
  }

  /* Insert in id order; a message already shown (ack and broadcast both arrive) is only updated. */
  function show(message) {
    if (message.channel_id !== channelId) { return; }
    const pending = message.client_msg_id && list.querySelector('[data-client-id="' + CSS.escape(message.client_msg_id) + '"]');
    if (pending) { pending.remove(); }
    const existing = document.getElementById("message-" + message.id);
    const node = render(message);
    if (existing) { existing.replaceWith(node); return; }
    let before = null;
    for (const item of list.querySelectorAll(".chat-message[data-id]")) {
      if (Number(item.dataset.id) > message.id) { before = item; break; }
    }
    const pinned = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    list.insertBefore(node, before || list.querySelector(".is-pending"));
    lastId = Math.max(lastId, message.id);
    firstId = firstId ? Math.min(firstId, message.id) : message.id;
    if (pinned || (message.author && message.author.id === me)) { list.scrollTop = list.scrollHeight; }
  }
  chat.show = show;

  function status(text) { statusLine.textContent = text || ""; statusLine.hidden = !text; }

  /* Everything after the last id we have, page by page (also closes gaps after a reconnect). */
  async function catchUp() {
    if (catchingUp) { return catchingUp; }
    catchingUp = (async function () {
      let more = true;
      while (more) {
        const page = await wilma.api("GET", d.messagesUrl + "?after=" + lastId + "&limit=100");
        page.items.forEach(show);
        more = page.has_more && page.items.length > 0;
      }
      markRead();
    })().finally(function () { catchingUp = null; });
    return catchingUp;
  }

  let readSent = 0;
  function markRead() {
    if (document.visibilityState !== "visible" || lastId <= readSent) { return; }
    readSent = lastId;
    chat.socket.emit("chat:read", { channel_id: channelId, message_id: lastId });
  }

  function setBadge(node, count) {
    if (!node) { return; }
    node.dataset.count = count; node.textContent = count ? String(count) : "";
  }
  function bumpBadge(id) {
    const node = document.querySelector('[data-unread="' + id + '"]');
    setBadge(node, Number(node ? node.dataset.count : 0) + 1);
    const nav = document.querySelector('[data-nav-badge="chat"]');
    setBadge(nav, Number(nav ? nav.dataset.count : 0) + 1);
  }

  async function refreshBadges() {
    const data = await wilma.api("GET", d.channelsUrl);
    data.items.forEach(function (c) { setBadge(document.querySelector('[data-unread="' + c.id + '"]'), c.unread); });
    setBadge(document.querySelector('[data-nav-badge="chat"]'), data.unread_total);
  }

  /* Sending: shown at once as pending, stored once thanks to client_msg_id, retried on failure. */
  chat.send = function (body) {
    const clientId = (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random()).slice(0, 64);
    const pending = el("li", "chat-message is-pending");
    pending.dataset.clientId = clientId;
    pending.append(el("div", "chat-body", body), el("div", "muted small chat-pending-note", label("Sending")));
    list.appendChild(pending);
    list.scrollTop = list.scrollHeight;
    function attempt() {
      pending.classList.remove("is-failed");
      pending.querySelector(".chat-pending-note").textContent = label("Sending");
      chat.socket.timeout(10000).emit("chat:send", { channel_id: channelId, body: body, client_msg_id: clientId }, function (err, ack) {
        if (!err && ack && !ack.error) { show(ack); markRead(); return; }
        pending.classList.add("is-failed");
        pending.querySelector(".chat-pending-note").textContent = (ack && ack.error && ack.error.message) || label("Failed");
        pending.onclick = function () { pending.onclick = null; attempt(); };
      });
    }
    attempt();
  };

  function findMessage(target) { const node = target.closest(".chat-message[data-id]"); return node && Number(node.dataset.id); }

  list.addEventListener("click", function (event) {
    const target = event.target;
    const id = findMessage(target);
    if (!id) { return; }
    if (target.matches(".chat-reaction, .chat-palette button")) {
      chat.socket.emit("chat:react", { message_id: id, emoji: target.dataset.emoji });
      const palette = target.closest(".chat-palette"); if (palette) { palette.remove(); }
    } else if (target.matches(".chat-react")) {
      const node = target.closest(".chat-message");
      const open = node.querySelector(".chat-palette");
      if (open) { open.remove(); target.setAttribute("aria-expanded", "false"); return; }
      const palette = el("div", "chat-palette");
      reactions.forEach(function (emoji) { const b = el("button", "small", emoji); b.type = "button"; b.dataset.emoji = emoji; palette.appendChild(b); });
      node.appendChild(palette); target.setAttribute("aria-expanded", "true"); palette.querySelector("button").focus();
    } else if (target.matches(".chat-delete")) {
      if (window.confirm(label("ConfirmDelete"))) { chat.socket.emit("chat:delete", { message_id: id }); }
    } else if (target.matches(".chat-edit")) {
      editInPlace(target.closest(".chat-message"), id);
    }
  });

  function editInPlace(node, id) {
    if (node.querySelector(".chat-editor")) { return; }
    wilma.api("GET", d.messagesUrl + "?around=" + id + "&limit=1").then(function (page) {
      const message = page.items.find(function (m) { return m.id === id; });
      if (!message) { return; }
      const form = el("form", "chat-editor");
      const area = el("textarea"); area.value = message.body; area.rows = 2; area.maxLength = 4000;
      area.setAttribute("aria-label", label("Edit"));
      const save = el("button", "small primary", label("Save")); save.type = "submit";
      const cancel = el("button", "small", label("Cancel")); cancel.type = "button";
      form.append(area, save, cancel);
      node.appendChild(form); area.focus();
      cancel.onclick = function () { form.remove(); };
      form.onsubmit = function (e) {
        e.preventDefault();
        chat.socket.emit("chat:edit", { message_id: id, body: area.value }, function (ack) {
          if (ack && ack.error) { window.alert(ack.error.message); } else { form.remove(); }
        });
      };
    });
  }

  document.querySelectorAll(".chat-message[data-id]").forEach(function (node) {
    const id = Number(node.dataset.id);
    lastId = Math.max(lastId, id); firstId = firstId ? Math.min(firstId, id) : id;
    actions(node);
  });
  list.scrollTop = list.scrollHeight;
  const target = document.querySelector(".chat-message.is-target");
  if (target) { target.scrollIntoView({ block: "center" }); }

  const older = document.getElementById("chat-older");
  if (older) {
    older.addEventListener("click", async function () {
      const page = await wilma.api("GET", d.messagesUrl + "?before=" + firstId);
      const height = list.scrollHeight;
      page.items.forEach(show);
      list.scrollTop += list.scrollHeight - height;
      if (!page.has_more) { older.remove(); }
    });
  }

  const s = chat.socket;
  function onConnect() {
    status("");
    catchUp();  // also covers messages sent between rendering the page and joining the room
    if (connectedOnce) { refreshBadges(); }  // other channels: what arrived while we were away
    connectedOnce = true;
    s.emit("chat:presence", { status: document.visibilityState === "visible" ? "online" : "away" });
  }
  s.on("connect", onConnect);
  if (s.connected) { onConnect(); }  // the bell's script opened the shared socket first
  s.on("disconnect", function () { status(label("Offline")); });
  s.on("chat:message", function (message) {
    if (message.channel_id === channelId) {
      show(message);  // ids are global, so gaps are normal; a connection that dropped catches up on connect
      markRead();
    } else if (!message.author || message.author.id !== me) { bumpBadge(message.channel_id); }
  });
  function replace(message) {  // edits and deletions only touch messages on screen
    const node = document.getElementById("message-" + message.id);
    if (node) { node.replaceWith(render(message)); }
  }
  s.on("chat:edited", replace);
  s.on("chat:deleted", replace);
  s.on("chat:reaction", function (data) {
    const node = document.getElementById("message-" + data.id);
    if (node) { node.querySelector(".chat-reactions").replaceWith(reactionBar(data)); }
  });
  s.on("chat:unread", function (data) {
    setBadge(document.querySelector('[data-unread="' + data.channel_id + '"]'), data.unread);
    setBadge(document.querySelector('[data-nav-badge="chat"]'), data.unread_total);
  });
  s.on("chat:channel", async function () {  // a new conversation or group: add it without losing a draft
    const data = await wilma.api("GET", d.channelsUrl);
    const listNode = document.getElementById("chat-channel-list");
    data.items.forEach(function (c) {
      if (document.querySelector('[data-unread="' + c.id + '"]')) { return; }
      const li = el("li"), a = el("a"), badge = el("span", "nav-badge chat-unread", c.unread ? String(c.unread) : "");
      li.dataset.channel = c.id; a.href = c.url; badge.dataset.unread = c.id; badge.dataset.count = c.unread;
      a.append(el("span", "chat-channel-kind", c.kind === "group" ? "#" : "@"), el("span", "chat-channel-name", c.name), badge);
      li.appendChild(a); listNode.appendChild(li);
    });
  });
  s.on("chat:removed", function (data) { if (data.channel_id === channelId) { window.location.assign(d.channelsUrl.replace(/\/api\/v1\/channels$/, "/chat")); } });
  document.addEventListener("visibilitychange", function () {
    s.emit("chat:presence", { status: document.visibilityState === "visible" ? "online" : "away" });
    markRead();
  });
})();
