/**
 * A path to return to after signing in, accepted only if it stays on this site
 * (a leading single slash), so the parameter cannot send users elsewhere.
 */
export function safeReturnPath(candidate: string | null | undefined, fallback: string): string {
  if (!candidate || !candidate.startsWith('/') || candidate.startsWith('//') || candidate.includes('\\')) return fallback;
  return candidate;
}

/** The sign-in page that brings the reader back to `pathname` afterwards. */
export function signInUrl(lang: string, pathname: string): string {
  return `/${lang}/sign-in/?next=${encodeURIComponent(pathname)}`;
}
