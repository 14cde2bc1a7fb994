// Prerendered pages are the same for everyone, so they ship a sign-in link; this
// swaps in the visitor's own menu from an on-demand partial. It is an external
// module (not an Astro server island, whose inline loader differs on every page)
// so the Content-Security-Policy can stay `script-src 'self'`.
for (const slot of document.querySelectorAll<HTMLElement>('[data-user-menu]')) {
  const source = slot.dataset.userMenu;
  if (!source) continue;
  fetch(source, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
    .then((response) => (response.ok ? response.text() : null))
    .then((html) => {
      if (html) slot.replaceChildren(document.createRange().createContextualFragment(html));
    })
    .catch(() => {
      // Offline or failed: the sign-in link stays, which is still correct to follow.
    });
}
