// The console's own script: confirmation before consequential actions. Everything works without it
// (forms post normally); it only asks first.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  // A form with several actions (save or complete) asks only for the button that has consequences.
  const submitter = event.submitter instanceof HTMLElement ? event.submitter : null;
  const question = (submitter && submitter.getAttribute('data-confirm')) || form.getAttribute('data-confirm');
  if (question && !window.confirm(question)) event.preventDefault();
});
// htmx requests carry the form's CSRF token like a normal post does (it is a field of the form).
document.addEventListener('htmx:configRequest', (event) => {
  const form = event.target instanceof Element ? event.target.closest('form') : null;
  const token = form ? form.querySelector('input[name="_csrf"]') : null;
  if (token && event.detail && event.detail.parameters) event.detail.parameters._csrf = token.value;
});
