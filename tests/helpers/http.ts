/** Sends a same-origin form post the way a browser does, without following redirects. */
export async function postForm(
  baseUrl: string,
  path: string,
  fields: Record<string, string>,
  options: { cookie?: string; origin?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return fetch(new URL(path, baseUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: options.origin ?? new URL(baseUrl).origin,
      ...(options.cookie ? { Cookie: options.cookie } : {}),
      ...options.headers,
    },
    body: new URLSearchParams(fields).toString(),
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
