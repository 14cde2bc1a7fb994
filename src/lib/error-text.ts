/** An error as stored for administrators (a mail's try, a job's run): one line, bounded, with an SMTP reply code when there is one. */
export function describeError(error: unknown): string {
  const parts = error instanceof Error ? [error.message] : [String(error)];
  const code = typeof error === 'object' && error !== null && 'responseCode' in error ? (error as { responseCode: unknown }).responseCode : undefined;
  if (typeof code === 'number' && !parts[0]!.includes(String(code))) parts.unshift(String(code));
  return parts.join(' ').replace(/\s+/g, ' ').trim().slice(0, 500) || 'unknown error';
}
