/* Skip rules on a question page: questions an answer makes unnecessary (AUDIT: "Never" drinks)
 * are hidden and left out of what is sent, and come back when the answer changes.
 *
 * Only an improvement: the cookie tells the server this browser runs it, so the
 * server may put a deciding question and the ones it skips on one page. Without
 * JavaScript the server ends a page after each deciding question and leaves the
 * skipped ones out of the next. The rules come from the page (data-skips), built
 * from the instrument file; a hidden question's fieldset is disabled, so its
 * answer is not sent (the server keeps an earlier one aside, unscored).
 */
(() => {
  "use strict";
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `survey_js=1; path=/; SameSite=Strict${secure}`;
  const form = document.getElementById("answers");
  if (!form || !form.dataset.skips) {
    return;
  }
  const rules = JSON.parse(form.dataset.skips);
  const fieldsets = Array.from(form.querySelectorAll("fieldset[data-item]"));

  const meets = (condition, hidden) => {
    if ("met" in condition) {
      return condition.met;
    }
    if (hidden.has(condition.item)) {
      return condition.if_skipped;
    }
    const checked = form.querySelector(`input[name='item_${condition.item}']:checked`);
    return checked !== null && condition.positions.includes(Number(checked.value));
  };

  const apply = () => {
    const hidden = new Set();
    rules.forEach((rule) => {
      if (rule.when.every((condition) => meets(condition, hidden))) {
        rule.items.forEach((item) => hidden.add(item));
      }
    });
    fieldsets.forEach((fieldset) => {
      const skip = hidden.has(Number(fieldset.dataset.item));
      fieldset.hidden = skip;
      fieldset.disabled = skip;
    });
  };

  form.addEventListener("change", (event) => {
    if (event.target.type === "radio") {
      apply();
    }
  });
  apply();
})();

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
