// Donations: the amount control and the summary of what will be charged.
//
// The server reads the amount one way (donations.forms.DonationForm): the chosen radio decides, and
// the typed box counts only under "Other amount". This script keeps the page in that shape (typing
// chooses "Other amount", choosing a preset empties the box) and shows the total with the same
// rules: amounts read as donations.services.amount_cents_from_text reads them, the fee as
// donations.services.fee_cover_for works it out (integer basis points, ceiling), money written as
// core.money.format_money writes it.
(function () {
  "use strict";
  var form = document.querySelector("[data-testid='donation-form']");
  if (!form) { return; }
  var control = form.querySelector("[data-amount-control]");
  var cover = form.querySelector("input[name='cover_fee']");
  var note = document.getElementById("fee-cover-note");
  var summary = document.getElementById("amount-summary");
  if (!control || !cover || !note || !summary) { return; }
  var custom = control.querySelector("input[name='custom_amount']");
  var other = control.querySelector("input[data-amount-other]");
  var presets = Array.prototype.filter.call(
    control.querySelectorAll("input[name='amount']"), function (radio) { return radio !== other; });
  var basisPoints = parseInt(cover.dataset.feeBasisPoints, 10);
  var fixed = parseInt(cover.dataset.feeFixedCents, 10);
  var exponent = parseInt(control.dataset.exponent, 10);
  var prefix = control.dataset.currencyPrefix;
  var minCents = parseInt(control.dataset.minCents, 10);
  var maxCents = parseInt(control.dataset.maxCents, 10);

  // With the script running the box is always shown (without it, CSS shows it only under "Other").
  control.classList.add("amount-live");
  summary.hidden = false;

  // Returns cents, or null when the text is not an amount (the server's rule, line for line).
  function typedCents(text) {
    var cleaned = (text || "").replace(/\s/g, "");
    var symbol = prefix.trim();
    if (symbol && cleaned.indexOf(symbol) === 0) { cleaned = cleaned.slice(symbol.length); }
    if (cleaned.indexOf(",") !== -1) {
      if (!/^\d{1,3}(?:,\d{3})+(?:\.\d*)?$/.test(cleaned)) { return null; }
      cleaned = cleaned.replace(/,/g, "");
    }
    var pattern = exponent ? new RegExp("^(\\d{0,9})(?:\\.(\\d{0," + exponent + "}))?$") : /^(\d{0,9})$/;
    var match = pattern.exec(cleaned);
    if (!match || !(match[1] || (exponent && match[2]))) { return null; }
    var fraction = exponent ? (match[2] || "").padEnd(exponent, "0") : "";
    return parseInt(match[1] || "0", 10) * Math.pow(10, exponent) + parseInt(fraction || "0", 10);
  }
  function feeFor(gift) {
    var numerator = (gift + fixed) * 10000;
    var denominator = 10000 - basisPoints;
    return Math.ceil(numerator / denominator) - gift;
  }
  function money(cents) {
    var digits = String(Math.abs(cents)).padStart(exponent + 1, "0");
    var whole = digits.slice(0, digits.length - exponent).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return prefix + whole + (exponent ? "." + digits.slice(digits.length - exponent) : "");
  }
  // What the server will charge for the page as it stands: {gift} in cents, or {problem}.
  function chosen() {
    var radio = control.querySelector("input[name='amount']:checked");
    var typed = custom ? custom.value.trim() : "";
    if (!radio && !typed) { return {problem: "none"}; }
    if (radio && radio !== other) { return {gift: parseInt(radio.value, 10)}; }
    if (!typed) { return {problem: "none"}; }
    var cents = typedCents(typed);
    if (cents === null) { return {problem: "invalid"}; }
    if (cents < minCents || cents > maxCents) { return {problem: "range"}; }
    return {gift: cents};
  }
  function update() {
    var choice = chosen();
    if (choice.problem) {
      summary.textContent = summary.dataset["text" + choice.problem.charAt(0).toUpperCase() + choice.problem.slice(1)];
      note.textContent = "";
      return;
    }
    var gift = choice.gift;
    var fee = feeFor(gift);
    var total = cover.checked ? gift + fee : gift;
    var monthly = form.querySelector("input[name='frequency']:checked");
    var sentence = monthly && monthly.value === "month" ? summary.dataset.textMonth : summary.dataset.textOnce;
    summary.textContent = sentence.replace("{total}", money(total));
    // The sentences come translated from the template's data attributes.
    var text = cover.checked ? note.dataset.textAdded : note.dataset.textOffer;
    note.textContent = text.replace("{fee}", money(fee)).replace("{total}", money(gift + fee))
      .replace("{gift}", money(gift));
  }

  if (custom && other) {
    // Typing an amount chooses it; the box never holds an amount a chosen preset would override.
    custom.addEventListener("input", function () {
      if (custom.value.trim() && !other.checked) { other.checked = true; }
    });
    other.addEventListener("change", function () { if (other.checked) { custom.focus(); } });
    presets.forEach(function (radio) {
      radio.addEventListener("change", function () { if (radio.checked) { custom.value = ""; } });
    });
    // A page restored by the back button may come back with a preset and a typed amount: the
    // server would charge the preset, so the box is emptied to show just that.
    var checked = control.querySelector("input[name='amount']:checked");
    if (checked && checked !== other) { custom.value = ""; }
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  window.addEventListener("pageshow", function () {
    var checked = control.querySelector("input[name='amount']:checked");
    if (custom && checked && checked !== other) { custom.value = ""; }
    update();
  });
  update();
})();
