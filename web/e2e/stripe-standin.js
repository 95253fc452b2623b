// A stand-in for the part of Stripe.js the storefront uses, for the browser tests only (real
// Stripe.js cannot load offline). It confirms the PaymentIntent against the fake Stripe server
// through https://api.stripe.com, which the test routes there, so the payment and its signed
// webhook come from that server, not from the shop. Never shipped.
(() => {
  // Stripe's test cards, as the fake server's test payment methods.
  const cards = {
    "4242424242424242": "pm_card_visa",
    "4000000000000341": "pm_card_chargeCustomerFail", // declined when charged
  };

  async function post(path, fields) {
    const response = await fetch(`https://api.stripe.com/v1/${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    });
    return { ok: response.ok, body: await response.json() };
  }

  function Stripe(publishableKey) {
    if (!publishableKey) throw new Error("no publishable key");
    let clientSecret = "";
    let container = null;
    const cardNumber = () => (container?.querySelector("input")?.value ?? "").replace(/\s/g, "");

    return {
      elements(options) {
        clientSecret = options.clientSecret;
        return {
          create() {
            return {
              mount(target) {
                container = typeof target === "string" ? document.querySelector(target) : target;
                const label = document.createElement("label");
                label.textContent = "Card number";
                const input = document.createElement("input");
                input.name = "cardnumber";
                input.autocomplete = "cc-number";
                input.inputMode = "numeric";
                label.appendChild(input);
                container.replaceChildren(label);
              },
            };
          },
          async submit() {
            return cardNumber() ? {} : { error: { type: "validation_error", message: "Your card number is incomplete." } };
          },
        };
      },
      async confirmPayment() {
        const paymentMethod = cards[cardNumber()];
        if (!paymentMethod) return { error: { type: "card_error", message: "Your card number is invalid." } };
        const id = clientSecret.split("_secret_")[0];
        const attached = await post(`payment_intents/${id}`, { payment_method: paymentMethod });
        if (!attached.ok) return { error: { type: "invalid_request_error", message: attached.body.error?.message } };
        const confirmed = await post(`payment_intents/${id}/confirm`, {});
        if (!confirmed.ok) {
          return { error: { type: "card_error", message: confirmed.body.error?.message ?? "Your card was declined." } };
        }
        return { paymentIntent: confirmed.body };
      },
      _registerWrapper() {},
    };
  }
  Stripe.version = "endive";
  window.Stripe = Stripe;
})();
