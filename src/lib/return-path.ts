/**
 * A path to return to after signing in, accepted only if it stays on this site
 * (a leading single slash), so the parameter cannot send users elsewhere.
 */
export function safeReturnPath(candidate: string | null | undefined, fallback: string): string {
  if (!candidate || !candidate.startsWith('/') || candidate.startsWith('//') || candidate.includes('\\')) return fallback;
  return candidate;
}
