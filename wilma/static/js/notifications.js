/* The bell: its unread count follows the `notification` Socket.IO event live.
   The socket is shared as `wilma.socket`, so other features listen on the same connection. */
(function () {
  "use strict";
  window.wilma = window.wilma || {};

  function setCount(bell, badge, count) {
    badge.dataset.count = String(count);
    badge.textContent = count > 0 ? String(count) : "";
    bell.setAttribute("aria-label", count > 0 ? bell.dataset.labelSome.replace("{n}", String(count)) : bell.dataset.labelNone);
  }

  wilma.connectSocket = function () {
    if (!wilma.socket && typeof window.io === "function") {
      wilma.socket = window.io({ transports: ["websocket", "polling"], withCredentials: true });
    }
    return wilma.socket || null;
  };

  document.addEventListener("DOMContentLoaded", function () {
    const bell = document.getElementById("notification-bell");
    const badge = document.getElementById("notification-badge");
    const socket = wilma.connectSocket();
    if (!bell || !badge || !socket) { return; }
    socket.on("notification", function (data) {
      if (data && typeof data.unread === "number") { setCount(bell, badge, data.unread); }
    });
  });
})();
