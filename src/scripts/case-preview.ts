// Live preview for the case form, as progressive enhancement: while the member types,
// the form is sent with its own "Preview" button's intent (nothing is saved) and the
// preview the server renders — with the one sanitising renderer — replaces the one on
// the page. Without JavaScript the Preview button does the same with a page load.
const form = document.querySelector<HTMLFormElement>('form.case-form');
if (form) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  const refresh = async () => {
    const request = (latest += 1);
    const data = new FormData(form);
    data.set('intent', 'preview');
    try {
      const response = await fetch(form.action, { method: 'POST', body: data, credentials: 'same-origin', headers: { Accept: 'text/html' } });
      if (!response.ok || request !== latest) return;
      const html = new DOMParser().parseFromString(await response.text(), 'text/html');
      const fresh = html.querySelector('.case-preview');
      if (!fresh) return;
      const current = document.querySelector('.case-preview');
      if (current) current.replaceWith(document.importNode(fresh, true));
      else form.before(document.importNode(fresh, true));
    } catch {
      // Offline or failed: the Preview button still works.
    }
  };
  form.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void refresh(), 800);
  });
}
