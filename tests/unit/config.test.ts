import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config.ts';

const cwd = '/srv/qala';

describe('configuration', () => {
  it('has working defaults for the embedded demo', () => {
    expect(loadConfig({}, cwd)).toEqual({
      production: false,
      host: 'localhost',
      port: 4321,
      databasePath: '/srv/qala/db/qala.db',
      embeddedDatabase: true,
      origin: undefined,
      trustedProxyHops: 0,
      demoData: true,
      logLevel: 'info',
      smtpUrl: undefined,
      mailFrom: 'Qala <no-reply@localhost>',
    });
  });

  it('reads a file: DATABASE_URL, relative to the working folder or absolute, without demo data', () => {
    expect(loadConfig({ DATABASE_URL: 'file:data/q.db' }, cwd)).toMatchObject({ databasePath: '/srv/qala/data/q.db', embeddedDatabase: false, demoData: false });
    expect(loadConfig({ DATABASE_URL: 'file:/var/lib/qala.db', DEMO_DATA: 'true' }, cwd)).toMatchObject({ databasePath: '/var/lib/qala.db', demoData: true });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }, cwd)).toMatchObject({ port: 4321, embeddedDatabase: true });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'postgres://db/qala' }, 'DATABASE_URL'],
    [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY'],
    [{ ORIGIN: 'qala.example.org' }, 'ORIGIN'],
    [{ ORIGIN: 'https://qala.example.org/portal' }, 'ORIGIN'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ DEMO_DATA: 'maybe' }, 'DEMO_DATA'],
    [{ SMTP_URL: 'mail.example.org' }, 'SMTP_URL'],
    [{ MAIL_FROM: 'Qala <a@b.c>\r\nBcc: x@y.z' }, 'MAIL_FROM'],
  ])('stops on a bad value and names the variable: %o', (env, variable) => {
    expect(() => loadConfig(env, cwd)).toThrow(ConfigError);
    expect(() => loadConfig(env, cwd)).toThrow(new RegExp(`\\b${variable}\\b`));
  });

  it('in production requires a database, an origin, and never creates demo accounts', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'file:/var/lib/qala.db', ORIGIN: 'https://qala.example.org' };
    expect(loadConfig(production, cwd)).toMatchObject({ production: true, demoData: false, origin: 'https://qala.example.org' });
    expect(() => loadConfig({ ...production, DATABASE_URL: undefined }, cwd)).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ ...production, ORIGIN: undefined }, cwd)).toThrow(/ORIGIN/);
    expect(() => loadConfig({ ...production, DEMO_DATA: 'true' }, cwd)).toThrow(/DEMO_DATA/);
  });
});
