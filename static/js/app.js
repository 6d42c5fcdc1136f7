// The platform's own behaviour for every page (no inline scripts: the CSP allows none).
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el && el.matches && el.matches("select[data-autosubmit]") && el.form) el.form.submit();
});
