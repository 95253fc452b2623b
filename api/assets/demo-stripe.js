// The demo Stripe.js: the part of Stripe.js the storefront uses (the Payment Element and
// confirmPayment), for shops running with DEMO_PAYMENTS against a fake Stripe server. Real
// Stripe.js cannot load offline and refuses a fake key. Payments go through the API's
// /api/demo routes, which take Stripe's test payment methods only, so the PaymentIntent, its
// webhook and the order follow exactly the path a real payment takes. Served by the API only in
// demo mode; the browser tests use it too.
(() => {
  // Stripe's test cards, as the test payment methods Stripe (and the fake server) knows them by.
  const cards = {
    "4242424242424242": "pm_card_visa",
    "4000000000000002": "pm_card_visa_chargeDeclined",
    "4000000000000341": "pm_card_chargeCustomerFail",
    "4000002500003155": "pm_card_threeDSecure2Required",
  };
  const demoCards = [
    ["4242 4242 4242 4242", "pays"],
    ["4000 0000 0000 0002", "is declined"],
    ["4000 0025 0000 3155", "asks you to authenticate"],
  ];

  async function post(path, body) {
    try {
      const response = await fetch(`/api/demo/payment_intents/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      const answer = await response.json().catch(() => ({}));
      return response.ok ? answer : { failure: answer.detail ?? "The payment service refused the request." };
    } catch {
      return { failure: "We could not reach the payment service. Check your connection and try again." };
    }
  }

  function element(tag, props, children = []) {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children);
    return node;
  }

  function field(label, name, autocomplete, placeholder) {
    const input = element("input", { name, autocomplete, placeholder, inputMode: "numeric", required: true });
    input.setAttribute("aria-required", "true");
    return { input, label: element("label", { className: "demo-field" }, [label, input]) };
  }

  // The bank's 3-D Secure page, as a modal dialog: true when the shopper approves.
  function authenticate() {
    return new Promise((resolve) => {
      const approve = element("button", { type: "button", textContent: "Complete authentication" });
      const refuse = element("button", { type: "button", textContent: "Fail authentication", className: "secondary" });
      const dialog = element("dialog", { className: "demo-3ds" }, [
        element("h2", { id: "demo-3ds-title", textContent: "Demo bank: confirm this payment" }),
        element("p", { textContent: "Your bank asks you to confirm that this payment is yours. This is a simulation: no real bank is involved." }),
        element("div", { className: "demo-3ds-actions" }, [approve, refuse]),
      ]);
      dialog.setAttribute("aria-labelledby", "demo-3ds-title");
      const done = (approved) => {
        dialog.close();
        dialog.remove();
        resolve(approved);
      };
      approve.addEventListener("click", () => done(true));
      refuse.addEventListener("click", () => done(false));
      // Escape closes the bank's page, as closing Stripe's window fails the authentication.
      dialog.addEventListener("cancel", (event) => {
        event.preventDefault();
        done(false);
      });
      document.body.append(dialog);
      dialog.showModal();
      approve.focus();
    });
  }

  function Stripe(publishableKey) {
    if (!publishableKey) throw new Error("no publishable key");
    let clientSecret = "";
    let fields = null;

    const declined = (message, code) => ({ error: { type: "card_error", code, message } });

    return {
      elements(options) {
        clientSecret = options.clientSecret;
        return {
          create() {
            const listeners = {};
            const emit = (name, event) => (listeners[name] ?? []).forEach((listener) => listener(event));
            return {
              on(name, listener) {
                (listeners[name] ??= []).push(listener);
                return this;
              },
              mount(target) {
                const container = typeof target === "string" ? document.querySelector(target) : target;
                if (!container) {
                  queueMicrotask(() => emit("loaderror", { error: { type: "invalid_request_error", message: "No place to show the payment form." } }));
                  return;
                }
                const number = field("Card number", "cardnumber", "cc-number", "1234 1234 1234 1234");
                const expiry = field("Expiry (MM / YY)", "exp-date", "cc-exp", "MM / YY");
                const cvc = field("CVC", "cvc", "cc-csc", "123");
                fields = { number: number.input, expiry: expiry.input, cvc: cvc.input };
                const hint = element("ul", { className: "demo-cards" },
                  demoCards.map(([card, what]) => element("li", {}, [element("code", { textContent: card }), ` ${what}`])));
                container.replaceChildren(
                  element("fieldset", { className: "demo-card" }, [
                    element("legend", { textContent: "Card (demo: any future expiry, any CVC)" }),
                    number.label,
                    element("div", { className: "demo-row" }, [expiry.label, cvc.label]),
                    hint,
                  ]),
                );
                queueMicrotask(() => emit("ready", {}));
              },
              unmount() {
                fields = null;
              },
            };
          },
          async submit() {
            if (!fields) return { error: { type: "validation_error", message: "The payment form is not ready." } };
            const number = fields.number.value.replace(/\s/g, "");
            const [month, year] = fields.expiry.value.split("/").map((part) => Number(part.trim()));
            const now = new Date();
            const expiry = new Date(2000 + (year || 0), month || 0, 1);
            if (!/^\d{13,19}$/.test(number)) return { error: { type: "validation_error", message: "Your card number is incomplete." } };
            if (!(month >= 1 && month <= 12 && year >= 0 && year < 100) || expiry <= now) {
              return { error: { type: "validation_error", message: "Your card's expiry date is incomplete or in the past." } };
            }
            if (!/^\d{3,4}$/.test(fields.cvc.value.trim())) return { error: { type: "validation_error", message: "Your card's security code is incomplete." } };
            return {};
          },
        };
      },
      async confirmPayment() {
        const number = (fields?.number.value ?? "").replace(/\s/g, "");
        const paymentMethod = cards[number];
        if (!paymentMethod) {
          return declined(`This demo takes Stripe's test cards only, such as 4242 4242 4242 4242.`, "invalid_number");
        }
        const id = clientSecret.split("_secret_")[0];
        let answer = await post(`${encodeURIComponent(id)}/confirm`, { client_secret: clientSecret, payment_method: paymentMethod });
        if (answer.status === "requires_action") {
          const approved = await authenticate();
          answer = await post(`${encodeURIComponent(id)}/authenticate`, { client_secret: clientSecret, success: approved });
        }
        if (answer.failure) return { error: { type: "api_connection_error", message: answer.failure } };
        if (answer.status === "succeeded" || answer.status === "processing") return { paymentIntent: { id, status: answer.status } };
        return declined(answer.error ?? "Your card was declined.", "card_declined");
      },
      _registerWrapper() {},
    };
  }
  Stripe.version = "endive";
  window.Stripe = Stripe;
})();
