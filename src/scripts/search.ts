// Starts Pagefind's search interface on /<lang>/search/. pagefind-ui.js (loaded just
// before, from the index the build wrote) defines PagefindUI; the interface's texts
// come from the page, in the reader's language. The build writes one index for all
// three languages, so one search covers them all.
declare const PagefindUI: new (options: Record<string, unknown>) => unknown;

const container = document.querySelector<HTMLElement>('#search');
if (container && typeof PagefindUI === 'function') {
  new PagefindUI({
    element: '#search',
    bundlePath: '/pagefind/',
    // Cases (file and member towns') are indexed at run time, so approved ones are found without a rebuild.
    mergeIndex: [{ bundlePath: '/pagefind-cases/' }],
    showImages: false,
    showSubResults: true,
    resetStyles: false,
    translations: JSON.parse(container.dataset.translations ?? '{}'),
  });
  container.querySelector<HTMLInputElement>('input')?.focus();
}
