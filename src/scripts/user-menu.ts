import { hasSignedInHint } from '../lib/signed-in-hint.ts';

// Prerendered pages are the same for everyone, so they ship a sign-in link; for a
// browser with a session (the signed-in hint cookie says so, src/lib/signed-in-hint.ts)
// this swaps in the visitor's own menu and notifications link from one on-demand
// partial. Anonymous readers make no request: the sign-in link is already right.
// It is an external module (not an Astro server island, whose inline loader differs on
// every page) so the Content-Security-Policy can stay `script-src 'self'`.
const menuSlots = [...document.querySelectorAll<HTMLElement>('[data-user-menu]')];
const bellSlots = [...document.querySelectorAll<HTMLElement>('[data-notification-slot]')];
const source = menuSlots[0]?.dataset.userMenu;
if (source && hasSignedInHint(document.cookie)) {
  fetch(source, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
    .then((response) => (response.ok ? response.text() : null))
    .then((html) => {
      if (!html) return;
      const fragment = document.createRange().createContextualFragment(html);
      const bell = fragment.querySelector('[data-part="bell"]');
      bell?.remove();
      if (bell) for (const slot of bellSlots) slot.replaceChildren(...[...bell.cloneNode(true).childNodes]);
      for (const slot of menuSlots) slot.replaceChildren(fragment.cloneNode(true));
    })
    .catch(() => {
      // Offline or failed: the sign-in link stays, which is still correct to follow.
    });
}
