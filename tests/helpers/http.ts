/** Sends a same-origin form post the way a browser does (a list = a repeated field), without following redirects. */
export async function postForm(
  baseUrl: string,
  path: string,
  fields: Record<string, string | readonly string[]>,
  options: { cookie?: string; origin?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of typeof value === 'string' ? [value] : value) body.append(name, item);
  }
  return fetch(new URL(path, baseUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: options.origin ?? new URL(baseUrl).origin,
      ...(options.cookie ? { Cookie: options.cookie } : {}),
      ...options.headers,
    },
    body: body.toString(),
  });
}

/** The `name=value` part of a Set-Cookie header for `name`, or undefined. */
export function cookieFrom(response: Response, name: string): string | undefined {
  const header = response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
  return header?.split(';')[0];
}

/** Signs in through the real form and returns the session cookie (`name=value`). */
export async function signIn(baseUrl: string, email: string, password: string, cookieName = 'qala_session'): Promise<string> {
  const response = await postForm(baseUrl, '/en/sign-in/?_action=auth.signIn', { email, password });
  const cookie = cookieFrom(response, cookieName);
  if (response.status !== 303 || !cookie) throw new Error(`sign-in failed with ${response.status}`);
  return cookie;
}
