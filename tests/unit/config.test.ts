import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '~/server/config.ts';

const cwd = '/srv/qala';

describe('configuration', () => {
  it('has working defaults for the embedded demo', () => {
    expect(loadConfig({}, cwd)).toEqual({
      production: false,
      host: 'localhost',
      port: 4321,
      database: { engine: 'sqlite', path: '/srv/qala/db/qala.db' },
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
    expect(loadConfig({ DATABASE_URL: 'file:data/q.db' }, cwd)).toMatchObject({ database: { engine: 'sqlite', path: '/srv/qala/data/q.db' }, embeddedDatabase: false, demoData: false });
    expect(loadConfig({ DATABASE_URL: 'file:/var/lib/qala.db', DEMO_DATA: 'true' }, cwd)).toMatchObject({ database: { engine: 'sqlite', path: '/var/lib/qala.db' }, demoData: true });
  });

  it('reads a postgres:// or postgresql:// DATABASE_URL, sslmode included', () => {
    for (const url of ['postgres://qala@db.example.org:5432/qala', 'postgresql://qala:secret@db.example.org/qala?sslmode=require']) {
      expect(loadConfig({ DATABASE_URL: url }, cwd)).toMatchObject({ database: { engine: 'postgres', url }, embeddedDatabase: false, demoData: false });
    }
  });

  it('never prints the password of a bad PostgreSQL URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://qala:s3cret@db.example.org:5432' }, cwd)).toThrow(/DATABASE_URL: needs a database name/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://qala:s3cret@db.example.org:5432' }, cwd)).not.toThrow(/s3cret/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }, cwd)).toMatchObject({ port: 4321, embeddedDatabase: true });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://db/qala' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://db.example.org' }, 'DATABASE_URL'],
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
