import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerDatabase, type ServerDatabase } from '../helpers/database.ts';
import { signIn } from '../helpers/http.ts';
import { DEMO_PASSWORD, startServer, type RunningServer } from '../helpers/server.ts';
import { request } from './support.ts';

let database: ServerDatabase | undefined;
let firstOutput: string;
let secondOutput: string;
let cookie: string;
let second: RunningServer | undefined;

beforeAll(async () => {
  database = await createServerDatabase();
  const first = await startServer({ databaseUrl: database.url });
  try {
    cookie = await signIn(first.url, 'temirtau@example.org', DEMO_PASSWORD);
  } finally {
    await first.stop();
  }
  firstOutput = first.output();
  second = await startServer({ databaseUrl: database.url });
  secondOutput = second.output();
});

afterAll(async () => {
  await second?.stop();
  await database?.remove();
});

describe('a restart keeps the data', () => {
  it('the first start on an empty database creates the demo data', () => {
    expect(firstOutput).toContain('demo data created');
  });

  it('a second start on the same database does not create the demo data again', () => {
    expect(secondOutput).not.toContain('demo data created');
  });

  it('a member signed in before the restart is still signed in after it', async () => {
    const response = await request(second!.url, '/en/account/', { cookie });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Yerlan Bekov');
  });
});
