// Choosing a member for a meeting's attendance leaves out the members already on the form
// (issue 16). Wagtail's chooser passes the value of a "linked field" to its pop-up; this keeps
// that field up to date at the moment a "Choose" button is pressed (capture phase, so before
// the chooser opens its pop-up).
(function () {
  const FIELD_ID = "papers-member-exclude";
  const PREFIX = "attendance";

  function field() {
    let input = document.getElementById(FIELD_ID);
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.id = FIELD_ID;
      document.body.appendChild(input);
    }
    return input;
  }

  function deleted(name) {
    const input = document.querySelector(`[name="${name.replace(/-member$/, "-DELETE")}"]`);
    return input && (input.type === "checkbox" ? input.checked : input.value === "1");
  }

  function chosenIds() {
    return Array.from(document.querySelectorAll(`input[name^="${PREFIX}-"][name$="-member"]`))
      .filter((input) => input.value && !deleted(input.name))
      .map((input) => input.value);
  }

  function isAttendanceChooser(button) {
    const chooser = button.closest(".chooser");
    const id = chooser ? chooser.id : button.getAttribute("aria-describedby") || "";
    return id.startsWith(`id_${PREFIX}-`);
  }

  document.addEventListener("DOMContentLoaded", field);
  document.addEventListener(
    "click",
    (event) => {
      const button = event.target.closest("[data-chooser-action-choose]");
      if (button) {
        field().value = isAttendanceChooser(button) ? chosenIds().join(",") : "";
      }
    },
    true,
  );
})();
