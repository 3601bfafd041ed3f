// xterm.js styles its cells with <style> elements it writes at run time (theme colours, cell
// size, scrollbar). The window's content security policy (`style-src 'self'`) blocks inline
// <style> elements, so those rules would never apply and the terminal would draw without colours
// or cell sizes. Their text is mirrored into constructed style sheets instead: the CSSOM is our
// own bundled code acting, which the policy does not restrict, and the policy stays as strict
// as it is for everything else.

/** Keeps a constructed copy of every <style> inside `root` in the document; returns the stop. */
export function mirrorStyles(root: HTMLElement): () => void {
  const doc = root.ownerDocument;
  if (!("adoptedStyleSheets" in doc) || typeof CSSStyleSheet === "undefined" || !("replaceSync" in CSSStyleSheet.prototype)) {
    return () => {};
  }
  const copies = new Map<HTMLStyleElement, CSSStyleSheet>();
  const sync = () => {
    const present = new Set(root.querySelectorAll("style"));
    for (const [element, sheet] of copies) {
      if (!present.has(element)) {
        copies.delete(element);
        doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
      }
    }
    for (const element of present) {
      let sheet = copies.get(element);
      if (!sheet) {
        sheet = new CSSStyleSheet();
        copies.set(element, sheet);
        doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
      }
      sheet.replaceSync(element.textContent ?? "");
    }
  };
  const observer = new MutationObserver(sync);
  observer.observe(root, { subtree: true, childList: true, characterData: true });
  sync();
  return () => {
    observer.disconnect();
    const mine = new Set(copies.values());
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => !mine.has(s));
    copies.clear();
  };
}
