// The back office at /admin: the staff member's session decides what is shown — the login, the
// password change a one-time password calls for, or the screens their role may use.
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import "./admin.css";
import { type Session, api, call, useCsrfToken, whenSessionEnds } from "./api";
import { Dashboard } from "./pages/Dashboard";
import { Login } from "./pages/Login";
import { Password } from "./pages/Password";
import { type Capability, may } from "./roles";
import { onLinkClick, useLocation } from "./router";
import { screens } from "./screens";

type State = { kind: "loading" } | { kind: "anonymous"; ended: boolean } | { kind: "signed-in"; session: Session };

function App() {
  const [state, setState] = useState<State>({ kind: "loading" });
  const url = useLocation();

  const signedIn = (session: Session) => {
    useCsrfToken(session.csrf_token);
    setState({ kind: "signed-in", session });
  };

  useEffect(() => {
    whenSessionEnds(() => {
      useCsrfToken(null);
      setState({ kind: "anonymous", ended: true });
    });
    call(api.GET("/api/v1/admin/session"))
      .then(signedIn)
      .catch(() => setState({ kind: "anonymous", ended: false }));
  }, []);

  if (state.kind === "loading") return <p class="loading">Loading…</p>;
  if (state.kind === "anonymous") return <Login ended={state.ended} onLoggedIn={signedIn} />;
  const { session } = state;
  if (session.must_change_password) return <Password session={session} forced onChanged={signedIn} />;

  const logOut = async () => {
    await call(api.DELETE("/api/v1/admin/session")).catch(() => undefined);
    useCsrfToken(null);
    setState({ kind: "anonymous", ended: false });
  };
  const path = url.pathname.replace(/\/+$/, "") || "/admin";
  const screen = screens.find((s) => s.matches(path));
  const allowed = (capability: Capability) => may(session.role, capability);
  let page;
  if (path === "/admin") page = <Dashboard session={session} url={url} />;
  else if (path === "/admin/password") page = <Password session={session} forced={false} onChanged={signedIn} />;
  else if (screen && allowed(screen.needs)) page = screen.render({ session, url, path });
  else if (screen) page = <p>Your role ({session.role}) cannot use this screen.</p>;
  else page = <p>There is no such screen.</p>;

  return (
    <div class="shell" onClick={onLinkClick}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/admin">
          Back office
        </a>
        <p class="who">
          {session.label} ({session.role})
        </p>
        <a href="/admin/password">Password</a>
        <button type="button" onClick={logOut}>
          Log out
        </button>
      </header>
      <nav class="side" aria-label="Back office">
        <ul>
          <li>
            <a href="/admin" aria-current={path === "/admin" ? "page" : undefined}>
              Dashboard
            </a>
          </li>
          {screens
            .filter((s) => s.nav && allowed(s.needs))
            .map((s) => (
              <li key={s.nav}>
                <a href={s.href} aria-current={path === s.href || path.startsWith(`${s.href}/`) ? "page" : undefined}>
                  {s.nav}
                </a>
              </li>
            ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1} key={path}>
        {page}
      </main>
    </div>
  );
}

const root = document.getElementById("admin");
if (root) render(<App />, root);
