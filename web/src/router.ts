import { useEffect, useState } from "preact/hooks";

// History-API routing; nginx answers every unknown path with index.html. A fragment is part of
// the address (an emailed link's token travels there), so it goes along and is listened for.

export function navigate(to: string): void {
  if (to === location.pathname + location.search + location.hash) return;
  history.pushState(null, "", to);
  dispatchEvent(new PopStateEvent("popstate"));
  window.scrollTo(0, 0);
}

export function useLocation(): URL {
  const [url, setUrl] = useState(() => new URL(location.href));
  useEffect(() => {
    const update = () => setUrl(new URL(location.href));
    addEventListener("popstate", update);
    addEventListener("hashchange", update);
    return () => {
      removeEventListener("popstate", update);
      removeEventListener("hashchange", update);
    };
  }, []);
  return url;
}

/** Same-page navigation for ordinary links, keeping modified clicks (new tab) as they are. */
export function onLinkClick(event: MouseEvent): void {
  const anchor = (event.target as Element | null)?.closest("a");
  if (!anchor || anchor.target || anchor.origin !== location.origin) return;
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  if (anchor.hash && anchor.pathname === location.pathname && anchor.search === location.search) {
    // Within the page (the skip link): focus goes there, and the address keeps its fragment,
    // which may be a link's token.
    const target = document.getElementById(decodeURIComponent(anchor.hash.slice(1)));
    target?.focus();
    target?.scrollIntoView();
    return;
  }
  navigate(anchor.pathname + anchor.search + anchor.hash);
}
