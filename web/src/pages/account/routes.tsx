// The account's screens by path, under /account. Those of a signed-in shopper show the sign-in
// form in their place until the shopper is signed in, and then themselves, at the same address.

import type { JSX } from "preact";
import { fragmentToken } from "../../lookup";
import { AddressesPage } from "./Addresses";
import { DeleteAccountPage, DeletedPage } from "./DeleteAccount";
import { ForgotPasswordPage } from "./ForgotPassword";
import { AccountOrderPage, OrdersPage } from "./Orders";
import { ProfilePage } from "./Profile";
import { ResetPasswordPage } from "./ResetPassword";
import { SignInPage } from "./SignIn";
import { SignUpPage } from "./SignUp";
import { VerifyPage } from "./Verify";

/** A page number from `?page=`: a whole number from 1, or 1. */
export function pageParam(value: string | null): number {
  const page = Number(value);
  return Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1;
}

/** The screen at `url` (an /account path), or null when there is none. */
export function accountScreen(url: URL, signedIn: boolean): JSX.Element | null {
  const path = url.pathname.replace(/\/+$/, "") || "/";
  switch (path) {
    case "/account/sign-up":
      return <SignUpPage />;
    case "/account/sign-in":
      return <SignInPage next={url.searchParams.get("next")} after={url.searchParams.get("after")} />;
    case "/account/verify":
      return <VerifyPage link={fragmentToken(url.hash, "token")} />;
    case "/account/forgot-password":
      return <ForgotPasswordPage />;
    case "/account/reset":
      return <ResetPasswordPage link={fragmentToken(url.hash, "token")} />;
    case "/account/deleted":
      return <DeletedPage />;
  }
  const order = /^\/account\/orders\/([^/]+)$/.exec(path);
  const screen =
    path === "/account" ? (
      <ProfilePage />
    ) : path === "/account/orders" ? (
      <OrdersPage page={pageParam(url.searchParams.get("page"))} />
    ) : order?.[1] ? (
      <AccountOrderPage id={decodeURIComponent(order[1])} />
    ) : path === "/account/addresses" ? (
      <AddressesPage />
    ) : path === "/account/delete" ? (
      <DeleteAccountPage />
    ) : null;
  if (!screen || signedIn) return screen;
  return <SignInPage next={path + url.search} reason="Sign in to your account to see this page." />;
}
