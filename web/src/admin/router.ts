// History-API routing under /admin; nginx answers every /admin path with the app's page.
import { useEffect, useState } from "preact/hooks";

export function navigate(to: string): void {
  if (to === location.pathname + location.search) return;
  history.pushState(null, "", to);
  dispatchEvent(new PopStateEvent("popstate"));
}

export function useLocation(): URL {
  const [url, setUrl] = useState(() => new URL(location.href));
  useEffect(() => {
    const update = () => setUrl(new URL(location.href));
    addEventListener("popstate", update);
    return () => removeEventListener("popstate", update);
  }, []);
  return url;
}

/** Same-page navigation for the app's own links; modified clicks (new tab) stay as they are. */
export function onLinkClick(event: MouseEvent): void {
  const anchor = (event.target as Element | null)?.closest("a");
  if (!anchor || anchor.target || anchor.origin !== location.origin) return;
  if (!anchor.pathname.startsWith("/admin")) return;
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  if (anchor.hash && anchor.pathname === location.pathname) {
    const target = document.getElementById(anchor.hash.slice(1));
    target?.focus();
    return;
  }
  navigate(anchor.pathname + anchor.search);
}

/** Replaces some query parameters of the current address (a table's page or sort). */
export function withQuery(url: URL, changes: Record<string, string | number | undefined>): string {
  const next = new URL(url.href);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined || value === "") next.searchParams.delete(name);
    else next.searchParams.set(name, String(value));
  }
  return next.pathname + next.search;
}
