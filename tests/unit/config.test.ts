import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, publicOrigin } from '~/server/config.ts';

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
      siteUrl: undefined,
      trustedProxyHops: 0,
      demoData: true,
      logLevel: 'info',
      smtpUrl: undefined,
      mailFrom: 'Qala <no-reply@localhost>',
      filesTownQuotaBytes: 500 * 1024 * 1024,
      staticCacheBytes: 128 * 1024 * 1024,
      pageCacheBytes: 32 * 1024 * 1024,
      workers: 1,
    });
  });

  it('reads the worker count (a number or auto) and the static memory bound, and refuses bad values', () => {
    expect(loadConfig({ QALA_WORKERS: '3' }, cwd).workers).toBe(3);
    expect(loadConfig({ QALA_WORKERS: 'auto' }, cwd).workers).toBeGreaterThanOrEqual(1);
    for (const bad of ['0', 'many', '-1', '1.5']) expect(() => loadConfig({ QALA_WORKERS: bad }, cwd)).toThrow(/QALA_WORKERS/);
    expect(loadConfig({ STATIC_CACHE_MB: '0' }, cwd).staticCacheBytes).toBe(0);
    expect(() => loadConfig({ STATIC_CACHE_MB: 'lots' }, cwd)).toThrow(/STATIC_CACHE_MB/);
    expect(loadConfig({ PAGE_CACHE_MB: '0' }, cwd).pageCacheBytes).toBe(0);
    expect(() => loadConfig({ PAGE_CACHE_MB: '-1' }, cwd)).toThrow(/PAGE_CACHE_MB/);
  });

  it('reads the per-town file quota in megabytes, and refuses one that is not a whole positive number', () => {
    expect(loadConfig({ FILES_TOWN_QUOTA_MB: '20' }, cwd).filesTownQuotaBytes).toBe(20 * 1024 * 1024);
    expect(() => loadConfig({ FILES_TOWN_QUOTA_MB: 'lots' }, cwd)).toThrow(/FILES_TOWN_QUOTA_MB/);
    expect(() => loadConfig({ FILES_TOWN_QUOTA_MB: '0' }, cwd)).toThrow(/FILES_TOWN_QUOTA_MB/);
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
    [{ SITE_URL: 'localhost:4321' }, 'SITE_URL'],
    [{ ALLOW_HTTP_ORIGIN: 'perhaps' }, 'ALLOW_HTTP_ORIGIN'],
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

  it('in production refuses an http:// ORIGIN, naming ORIGIN and the setting that allows it', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'file:/var/lib/qala.db', ORIGIN: 'http://qala.example.org' };
    expect(() => loadConfig(production, cwd)).toThrow(ConfigError);
    expect(() => loadConfig(production, cwd)).toThrow(/ORIGIN: must be https:\/\/.*ALLOW_HTTP_ORIGIN=true/);
    expect(loadConfig({ ...production, ALLOW_HTTP_ORIGIN: 'true' }, cwd)).toMatchObject({ origin: 'http://qala.example.org' });
    // Outside production an http:// origin is the ordinary case.
    expect(loadConfig({ ORIGIN: 'http://localhost:4321' }, cwd)).toMatchObject({ origin: 'http://localhost:4321' });
  });
});

describe('the origin of absolute links', () => {
  it('is ORIGIN when set, whatever else is', () => {
    expect(publicOrigin(loadConfig({ ORIGIN: 'https://qala.example.org/', SITE_URL: 'http://dev.example:8080', HOST: '0.0.0.0' }, cwd))).toBe('https://qala.example.org');
  });

  it('is SITE_URL outside production when ORIGIN is not set', () => {
    expect(publicOrigin(loadConfig({ SITE_URL: 'http://dev.example:8080/' }, cwd))).toBe('http://dev.example:8080');
  });

  it('is the configured host and port otherwise, localhost for an address that listens everywhere', () => {
    expect(publicOrigin(loadConfig({}, cwd))).toBe('http://localhost:4321');
    expect(publicOrigin(loadConfig({ HOST: '127.0.0.1', PORT: '8080' }, cwd))).toBe('http://127.0.0.1:8080');
    expect(publicOrigin(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }, cwd))).toBe('http://localhost:8080');
    expect(publicOrigin(loadConfig({ HOST: '::1', PORT: '8080' }, cwd))).toBe('http://[::1]:8080');
  });
});
