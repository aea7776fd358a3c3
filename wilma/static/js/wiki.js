/* Wiki editor: nothing typed is lost. The text is kept as a draft in localStorage while editing (with
   the revision it started from, so a restored draft is merged, not written over newer changes), offered
   back when the editor opens again (e.g. after logging in again), and forgotten once the save succeeded. */
(function () {
  "use strict";
  const PREFIX = "wilma-wiki-draft:";
  const MAX_AGE_MS = 14 * 24 * 3600 * 1000;
  const userId = document.body.dataset.userId || "";  /* empty on the session-expired page */

  function read(key) {
    try { return JSON.parse(window.localStorage.getItem(PREFIX + key) || "null"); } catch (e) { return null; }
  }
  function write(key, value) {
    try { window.localStorage.setItem(PREFIX + key, JSON.stringify(value)); } catch (e) { /* storage full or off */ }
  }
  function forget(key) {
    try { window.localStorage.removeItem(PREFIX + key); } catch (e) { /* ignore */ }
  }

  function setupEditor(form) {
    const key = form.dataset.draftKey;
    const body = form.querySelector("textarea[data-draft]");
    if (!key || !body) { return; }
    const base = form.querySelector("input[name=base_revision_id]");
    const title = form.querySelector("input[name=title]");
    const summary = form.querySelector("input[name=summary]");
    function snapshot() {
      const previous = read(key);
      const owner = userId || (previous && previous.user) || "";  /* the expired page knows no user */
      write(key, { body: body.value, base: base ? base.value : "", title: title ? title.value : "",
                   summary: summary ? summary.value : "", user: owner, savedAt: new Date().toISOString() });
    }
    let draft = read(key);
    /* on a shared computer, never offer someone else's text; forget drafts after two weeks */
    if (draft && ((draft.user && userId && draft.user !== userId) ||
                  (draft.savedAt && Date.now() - Date.parse(draft.savedAt) > MAX_AGE_MS))) {
      draft = null;
    }
    if (form.dataset.draftStore) {
      snapshot();  /* the session-expired page: keep the text in this browser at once */
    } else if (draft && draft.body && draft.body !== body.value) {
      const notice = document.getElementById("wiki-draft-notice");
      if (notice) {
        const when = notice.querySelector(".wiki-draft-time");
        if (when && draft.savedAt) { when.textContent = new Date(draft.savedAt).toLocaleString(); }
        notice.hidden = false;
        notice.querySelector("[data-draft-restore]").addEventListener("click", function () {
          body.value = draft.body;
          if (base && draft.base) { base.value = draft.base; }  /* saving then merges with newer revisions */
          if (title && draft.title && !title.value) { title.value = draft.title; }
          if (summary && draft.summary) { summary.value = draft.summary; }
          notice.hidden = true;
          body.focus();
        });
        notice.querySelector("[data-draft-discard]").addEventListener("click", function () {
          forget(key);
          notice.hidden = true;
        });
      }
    }
    let timer = null;
    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(snapshot, 400);
    });
    form.addEventListener("submit", snapshot);  /* kept until the page after the save says it arrived */
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-wiki-clear-draft]").forEach(function (el) { forget(el.dataset.wikiClearDraft); });
    document.querySelectorAll("form[data-draft-key]").forEach(setupEditor);
    document.querySelectorAll("button[data-confirm]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        if (!window.confirm(button.dataset.confirm)) { event.preventDefault(); }
      });
    });
  });
})();
