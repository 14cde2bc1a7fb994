/** Longer return paths are refused: no page of Qala needs one, and they only bloat a redirect. */
const MAX_RETURN_PATH = 2048;

/**
 * A base the candidate is resolved against. Only the resolved path is kept, so any origin
 * serves; a reserved `.invalid` host cannot be confused with a real one.
 */
const BASE = 'https://qala.invalid';

/** Control characters (C0, DEL, C1) and the backslash, which browsers read as a slash. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\\]/;

/**
 * A path to return to after signing in, accepted only if it stays on this site.
 * The candidate is resolved with the WHATWG URL parser, as a browser would read the
 * Location header, and must keep this origin and a clean path: no control characters
 * (the parser drops tabs and newlines, so `/\t/evil.example/` would become
 * `//evil.example/`), no backslash, no `//` start before or after `..` and percent-encoded
 * slashes are resolved. The answer is the parser's own serialisation, so it is ASCII
 * and always a valid header value. Anything else gives `fallback`.
 */
export function safeReturnPath(candidate: string | null | undefined, fallback: string): string {
  if (!candidate || candidate.length > MAX_RETURN_PATH) return fallback;
  if (!candidate.startsWith('/') || candidate.startsWith('//') || UNSAFE.test(candidate)) return fallback;
  let url: URL;
  try {
    url = new URL(candidate, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (path.startsWith('//') || path.length > MAX_RETURN_PATH || !decodesCleanly(url.pathname)) return fallback;
  return path;
}

/** Whether a path still starts with one slash and holds no control character or backslash once its escapes are decoded. */
function decodesCleanly(pathname: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  return !decoded.startsWith('//') && !UNSAFE.test(decoded);
}

/** The sign-in page that brings the reader back to `pathname` afterwards. */
export function signInUrl(lang: string, pathname: string): string {
  return `/${lang}/sign-in/?next=${encodeURIComponent(pathname)}`;
}
