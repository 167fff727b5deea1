/* Saves each answer on a question page as it is chosen, and says so quietly in the page's language.
 *
 * Only an improvement: without JavaScript, or when a save fails, the page's own
 * "Save and continue" / "Save and go back" still saves every answer. The texts come
 * from the template (data-saved, data-failed); saves are sent one at a time, in order,
 * and the form waits (briefly) for them, so a late autosave never lands after the page's save.
 */
(() => {
  "use strict";
  const form = document.getElementById("answers");
  const status = document.getElementById("autosave-status");
  if (!form || !status || !form.dataset.autosave || !window.fetch || !window.URLSearchParams) {
    return;
  }
  const token = form.querySelector("input[name='csrf_token']");
  const unsaved = new Set(); // items whose latest choice did not reach the server
  let queue = Promise.resolve();
  let waiting = 0;
  let release = ""; // "" → "waiting" for the autosaves → "go": the form is sent

  const save = (name, value) => fetch(form.dataset.autosave, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRFToken": token ? token.value : "" },
    body: new URLSearchParams([[name, value]]),
  }).then((response) => response.ok, () => false);

  const show = () => {
    const text = unsaved.size ? status.dataset.failed : status.dataset.saved;
    if (status.textContent !== text) {
      status.textContent = text;
    }
  };

  form.addEventListener("change", (event) => {
    const radio = event.target;
    if (radio.type !== "radio" || !radio.checked || !radio.name.startsWith("item_")) {
      return;
    }
    waiting += 1;
    queue = queue.then(() => save(radio.name, radio.value)).then((ok) => {
      waiting -= 1;
      if (ok) {
        unsaved.delete(radio.name);
      } else {
        unsaved.add(radio.name);
      }
      if (!waiting || !ok) {
        show();
      }
    });
  });

  form.addEventListener("submit", (event) => {
    if (release === "go" || (!waiting && !release) || !form.requestSubmit) {
      return;
    }
    event.preventDefault();
    if (release === "waiting") {
      return; // a second click while the answers are still being saved
    }
    release = "waiting";
    const submitter = event.submitter || null;
    const timeout = new Promise((resolve) => setTimeout(resolve, 3000));
    Promise.race([queue, timeout]).then(() => {
      release = "go";
      form.requestSubmit(submitter);
    });
  });
})();
