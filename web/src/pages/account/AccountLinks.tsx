import { useState } from "preact/hooks";
import { userMessage } from "../../api/client";
import { navigate } from "../../router";
import { useShop } from "../../shop";

/**
 * The header's account links: "Sign in" for a guest; for a signed-in shopper, their account (named
 * by its address, cut short on a narrow screen but read out whole) and "Sign out".
 */
export function AccountLinks() {
  const shop = useShop();
  const [said, setSaid] = useState("");
  const [failed, setFailed] = useState(false);
  const customer = shop.accounts.customer;

  const signOut = async () => {
    setSaid("");
    setFailed(false);
    try {
      await shop.accounts.signOut();
      if (location.pathname === "/account" || location.pathname.startsWith("/account/")) navigate("/account/sign-in?after=signed-out");
      else setSaid("You are signed out.");
    } catch (error) {
      setFailed(true);
      setSaid(`You are still signed in. ${userMessage(error)}`);
    }
  };

  return (
    <>
      {customer ? (
        <>
          <a href="/account" class="account-link">
            Account <span class="account-email">({customer.email})</span>
          </a>
          <button type="button" class="link" onClick={signOut}>
            Sign out
          </button>
        </>
      ) : (
        <a href="/account/sign-in">Sign in</a>
      )}
      {/* Signed out, the link that changed says so to the eye; a failure is for everyone to read. */}
      <span role="status" class={failed ? "header-note" : "visually-hidden"}>
        {said}
      </span>
    </>
  );
}
