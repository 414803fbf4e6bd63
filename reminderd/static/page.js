// Copy buttons on the subscribe page. No framework, no external assets.
document.addEventListener("click", function (e) {
  var b = e.target.closest("button.copy");
  if (!b) return;
  var input = document.getElementById(b.dataset.copy);
  if (!input) return;
  var label = b.textContent;
  function done() { b.textContent = b.dataset.done || "✓"; setTimeout(function () { b.textContent = label; }, 1500); }
  input.select();
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
  } else {
    document.execCommand("copy");  // plain-http intranet servers have no Clipboard API
    done();
  }
});
