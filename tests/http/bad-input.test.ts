import { describe, expect, it } from 'vitest';
import { postForm } from '../helpers/http.ts';
import { useServer } from '../helpers/server.ts';
import { expectCleanClientError, INVALID_EN, setsSession, SIGN_IN } from './support.ts';

const server = useServer();

/** Posts a raw body with a given Content-Type to the sign-in action, same-origin. */
function postRaw(contentType: string, body: string): Promise<Response> {
  return fetch(new URL(SIGN_IN, server.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': contentType, Origin: server.url },
    body,
  });
}

async function answer(response: Response): Promise<{ status: number; body: string }> {
  return { status: response.status, body: await response.text() };
}

describe('wrong credentials', () => {
  it('a wrong password gets 401 with a plain message, keeps the typed email and never echoes the password', async () => {
    const password = 'wrong-password-5551';
    const { status, body } = await answer(
      await postForm(server.url, SIGN_IN, { email: 'temirtau@example.org', password }),
    );
    expect(status).toBe(401);
    expect(body).toContain(INVALID_EN);
    expect(body).toContain('value="temirtau@example.org"');
    expect(body).not.toContain(password);
    expectCleanClientError(status, body);
  });

  it('a wrong password and an unknown email get the same answer', async () => {
    const known = await postForm(server.url, SIGN_IN, { email: 'ridder@example.org', password: 'wrong-password-1' });
    const unknown = await postForm(server.url, SIGN_IN, { email: 'nobody@example.org', password: 'wrong-password-1' });
    expect(unknown.status).toBe(401);
    expect(unknown.status).toBe(known.status);
    expect(setsSession(known)).toBe(false);
    expect(setsSession(unknown)).toBe(false);
    const knownBody = (await known.text()).replaceAll('ridder@example.org', 'EMAIL');
    const unknownBody = (await unknown.text()).replaceAll('nobody@example.org', 'EMAIL');
    expect(unknownBody).toContain(INVALID_EN);
    // Byte for byte the same page once the typed email is set aside.
    expect(unknownBody).toBe(knownBody);
    expectCleanClientError(unknown.status, unknownBody);
  });

  it('the Russian page says it in Russian', async () => {
    const { status, body } = await answer(
      await postForm(server.url, '/ru/sign-in/?_action=auth.signIn', { email: 'editor@example.org', password: 'wrong-password-2' }),
    );
    expect(status).toBe(401);
    expect(body).toContain('Неверный адрес электронной почты или пароль.');
    expect(body).toContain('<html lang="ru"');
    expect(body).toContain('value="editor@example.org"');
    expectCleanClientError(status, body);
  });
});

describe('malformed fields', () => {
  it('an empty form gets 400 and "Fill in this field."', async () => {
    const { status, body } = await answer(await postForm(server.url, SIGN_IN, {}));
    expect(status).toBe(400);
    expect(body).toContain('Fill in this field.');
    expectCleanClientError(status, body);
  });

  it('an email over 254 characters gets 400 and the field is marked', async () => {
    const email = `${'a'.repeat(250)}@example.org`;
    const { status, body } = await answer(await postForm(server.url, SIGN_IN, { email, password: 'whatever-1234' }));
    expect(status).toBe(400);
    expect(body).toContain('This is too long.');
    expect(body).toContain('aria-invalid="true"');
    expectCleanClientError(status, body);
  });

  it('a password of 5000 characters gets 400, and the password is not sent back', async () => {
    const password = 'x'.repeat(5000);
    const { status, body } = await answer(
      await postForm(server.url, SIGN_IN, { email: 'admin@example.org', password }),
    );
    expect(status).toBe(400);
    expect(body).toContain('This is too long.');
    expect(body).toContain('value="admin@example.org"');
    expect(body).not.toContain('x'.repeat(100));
    expectCleanClientError(status, body);
  });

  it('an address that is not an email gets 400 with a hint, keeping what was typed', async () => {
    const { status, body } = await answer(await postForm(server.url, SIGN_IN, { email: 'not-an-email', password: 'secret-secret' }));
    expect(status).toBe(400);
    expect(body).toContain('Enter an email address like name@example.org.');
    expect(body).toContain('value="not-an-email"');
    expect(body).not.toContain('secret-secret');
    expectCleanClientError(status, body);
  });
});

describe('bodies that are not a readable form', () => {
  it('a malformed multipart body gets 415 with a message, not a crash', async () => {
    const { status, body } = await answer(
      await postRaw(
        'multipart/form-data; boundary=XYZ',
        '--XYZ\r\nContent-Disposition: form-data; name="email"\r\n\r\ntemirtau@example.org',
      ),
    );
    expect(status).toBe(415);
    expect(body).toContain('The form could not be read. Please try again.');
    expectCleanClientError(status, body);
  });

  it('a JSON body (even broken JSON) gets 415 with a message', async () => {
    const { status, body } = await answer(await postRaw('application/json', '{bad'));
    expect(status).toBe(415);
    expect(body).toContain('This form was sent in a format the site does not accept.');
    expectCleanClientError(status, body);
  });

  it('a text/plain body gets 415 with a message', async () => {
    const { status, body } = await answer(
      await postRaw('text/plain', 'email=temirtau@example.org\npassword=demo-qala-2026'),
    );
    expect(status).toBe(415);
    expect(body).toContain('This form was sent in a format the site does not accept.');
    expectCleanClientError(status, body);
  });
});
