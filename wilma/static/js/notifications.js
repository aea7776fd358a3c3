/* The bell: its unread count follows the `notification` Socket.IO event live.

   Loaded `async`, and it loads the Socket.IO client itself, so neither delays the page's own scripts
   (which run at DOMContentLoaded). The one socket of the page is shared: other features call
   `wilma.onSocket(function (socket) { ... })`, which runs at once or as soon as it is connected. */
(function () {
  "use strict";
  const wilma = window.wilma = window.wilma || {};
  const script = document.currentScript;
  const waiting = wilma.socketWaiting = wilma.socketWaiting || [];

  wilma.onSocket = function (callback) {
    if (wilma.socket) { callback(wilma.socket); } else { waiting.push(callback); }
  };

  function setCount(bell, badge, count) {
    badge.dataset.count = String(count);
    badge.textContent = count > 0 ? String(count) : "";
    bell.setAttribute("aria-label", count > 0 ? bell.dataset.labelSome.replace("{n}", String(count)) : bell.dataset.labelNone);
  }

  function connect() {
    if (!wilma.socket && typeof window.io === "function") {
      wilma.socket = window.io({ transports: ["websocket", "polling"], withCredentials: true });
    }
    if (wilma.socket) { waiting.splice(0).forEach(function (callback) { callback(wilma.socket); }); }
  }

  function watchBell() {
    const bell = document.getElementById("notification-bell");
    const badge = document.getElementById("notification-badge");
    if (!bell || !badge) { return; }
    wilma.onSocket(function (socket) {
      socket.on("notification", function (data) {
        if (data && typeof data.unread === "number") { setCount(bell, badge, data.unread); }
      });
    });
  }

  if (typeof window.io === "function") {
    connect();
  } else if (script && script.dataset.socketioSrc) {
    const loader = document.createElement("script");
    loader.src = script.dataset.socketioSrc;
    loader.onload = connect;
    document.head.appendChild(loader);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watchBell);
  } else {
    watchBell();
  }
})();
