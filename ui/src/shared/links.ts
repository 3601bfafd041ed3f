// Which links from what the agent wrote may leave the window, and as what. Only web pages and
// a bare mail address: `file:`, `javascript:` and custom schemes could run or reveal something
// on the machine, and a mail link's query (`?attach=~/.ssh/id_rsa`, `?body=`, `?cc=`, `?bcc=`)
// is honoured by some mail programs, which would send what the agent chose from the person's
// account. So a mail link opens only its address. The backend's `link_open` applies the same
// rules again (`src-tauri/src/commands/links/safe.rs`); this copy decides what the chat shows
// as a link and what it says it opens.

/** The longest link opened: longer is no ordinary link. */
const MAX_LINK = 8192;

/** One plain mail address: no quoting, no comments, nothing a mail program reads as a header. */
const ADDRESS = /^[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/;

/**
 * What opening `href` opens: the web link as it is, a mail link reduced to its addresses, or
 * null when Warden does not open it at all.
 */
export function openableLink(href: string | null | undefined): string | null {
  if (typeof href !== "string") return null;
  const url = href.replace(/^[ ]+|[ ]+$/g, "");
  // No controls, no invisible or direction-changing characters, no blanks inside a link.
  if (url.length === 0 || url.length > MAX_LINK || /[\p{Cc}\p{Cf}\p{Z}\s\\]/u.test(url)) return null;
  const colon = url.indexOf(":");
  if (colon <= 0) return null;
  const scheme = url.slice(0, colon).toLowerCase();
  const rest = url.slice(colon + 1);
  if (scheme === "http" || scheme === "https") return webLink(scheme, rest);
  if (scheme === "mailto") return mailLink(rest);
  return null;
}

/** A web link with a host, or null. */
function webLink(scheme: string, rest: string): string | null {
  if (!rest.startsWith("//")) return null;
  const authority = rest.slice(2).split(/[/?#]/, 1)[0] ?? "";
  const host = authority.slice(authority.lastIndexOf("@") + 1).replace(/:\d*$/, "");
  if (host === "") return null;
  return `${scheme}:${rest}`;
}

/** `mailto:` with the addresses only (query and fragment left out), or null. */
function mailLink(rest: string): string | null {
  const cut = rest.search(/[?#]/);
  let addresses: string;
  try {
    addresses = decodeURIComponent(cut < 0 ? rest : rest.slice(0, cut));
  } catch {
    return null;
  }
  const list = addresses.split(",");
  if (list.some((a) => !ADDRESS.test(a))) return null;
  return `mailto:${list.join(",")}`;
}

/** What a link's tooltip says it opens, or why it does not open. */
export function linkTitle(href: string | null | undefined): string {
  const target = openableLink(href);
  if (target === null) return `Warden does not open this link${href ? `: ${href}` : ""}`;
  if (target.startsWith("mailto:") && /[?#]/.test(href ?? "")) return `Opens ${target} only: the link's subject, text, copies and attachments are left out`;
  return target;
}
