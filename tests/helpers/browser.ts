import { accessSync, constants, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { hasSignedInHint } from '~/lib/signed-in-hint.ts';
import { startServer, type RunningServer } from './server.ts';

/**
 * Browser tests drive the system's Debian chromium through playwright-core. Nothing
 * is ever downloaded: where chromium is missing, browser test files skip with a
 * notice, except in CI (CI=true), where a missing browser fails the run.
 */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Whether the chromium binary exists and can be run. */
export function chromiumExists(): boolean {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Call once at the top of a browser test file; use the result with `describe.runIf`.
 * Returns true when chromium is there. Otherwise prints a notice and returns false,
 * or throws when CI=true, so a CI run without a browser cannot pass by skipping.
 */
export function browserTestsCanRun(file: string): boolean {
  if (chromiumExists()) return true;
  const message = `${file}: chromium not found at ${CHROMIUM_PATH}`;
  if (process.env.CI === 'true') throw new Error(`${message}; browser tests are required in CI (CI=true).`);
  console.warn(`${message}; skipping browser tests (install Debian's chromium package to run them).`);
  return false;
}

/** Starts headless chromium. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

let axeSource: string | undefined;

/** axe-core's own build, read once from node_modules. */
function axeScript(): string {
  if (axeSource === undefined) {
    const require = createRequire(import.meta.url);
    axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  }
  return axeSource;
}

/** The WCAG 2.1 A and AA rules. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

/** One axe violation, reduced to what a failure message needs. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string[]; html: string; failureSummary: string }[];
}

/**
 * Runs axe (WCAG 2.1 A/AA) on the page and returns its violations. axe is injected
 * as an inline script, which the site's CSP (`script-src 'self'`) refuses: the page
 * must come from a context created with `{ bypassCSP: true }`.
 */
export async function runAxe(page: Page, only?: { rules: readonly string[] }): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.addScriptTag({ content: axeScript() });
  // `only.rules` runs just those rules, also ones outside the WCAG tags (axe's experimental ones).
  const runOnly = only ? { type: 'rule', values: [...only.rules] } : { type: 'tag', values: [...WCAG_TAGS] };
  return page.evaluate(async (runOnly) => {
    const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<any> } }).axe;
    const results = await axe.run(document, { runOnly });
    return (results.violations as any[]).map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      helpUrl: violation.helpUrl,
      nodes: (violation.nodes as any[]).map((node) => ({
        target: node.target.map(String),
        html: node.html,
        failureSummary: node.failureSummary ?? '',
      })),
    }));
  }, runOnly);
}

/** QALA_SCREENSHOTS=1: browser tests save what they looked at, for a person to see (tests/.artifacts/screenshots/). */
export const SCREENSHOTS_WANTED = process.env.QALA_SCREENSHOTS === '1';
const SCREENSHOTS_FOLDER = fileURLToPath(new URL('../.artifacts/screenshots/', import.meta.url));

/**
 * Saves a full-page screenshot as `<group>/<name>.png` under tests/.artifacts/screenshots/
 * when QALA_SCREENSHOTS=1, and does nothing otherwise: a capture asserts nothing, and the
 * journeys' full-page captures were half a minute of every test run.
 */
export async function saveScreenshot(page: Page, group: string, name: string): Promise<void> {
  if (!SCREENSHOTS_WANTED) return;
  const folder = join(SCREENSHOTS_FOLDER, group);
  mkdirSync(folder, { recursive: true });
  await page.screenshot({ path: join(folder, `${name}.png`), fullPage: true });
}

/** Violations as readable lines, for assertion messages and reports. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((violation) =>
      [
        `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.help} <${violation.helpUrl}>`,
        ...violation.nodes.map((node) => `  ${node.target.join(' ')}: ${node.html}\n    ${node.failureSummary.replace(/\n/g, '\n    ')}`),
      ].join('\n'),
    )
    .join('\n');
}

/**
 * Collects what a visitor should never meet: console errors, uncaught page errors,
 * Content-Security-Policy violations and failed requests. A console error for a
 * main-frame document's own HTTP status (a 404 page, a 401 form answer) is left out:
 * Chromium logs those for any error status, and tests assert the status themselves.
 */
export interface ProblemWatcher {
  /** Everything collected so far, one readable line each. */
  problems: () => string[];
}

export async function watchProblems(context: BrowserContext): Promise<ProblemWatcher> {
  const found: string[] = [];
  const consoleErrors: { text: string; url: string }[] = [];
  const errorDocuments = new Set<string>();

  // The binding and init script are injected by the browser, not by the page, so the
  // page's CSP does not stop them; with JavaScript disabled they simply never run.
  await context.exposeBinding('__qalaReportCspViolation', (_source, line: string) => {
    found.push(`CSP violation: ${line}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __qalaReportCspViolation: (line: string) => void }).__qalaReportCspViolation;
      void report(
        `${event.effectiveDirective} refused ${event.blockedURI || '(inline)'} on ${event.documentURI} (${event.sourceFile || 'no file'}:${event.lineNumber})`,
      );
    });
  });

  const attach = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push({ text: message.text(), url: message.location().url });
    });
    page.on('pageerror', (error) => found.push(`page error on ${page.url()}: ${error.message}`));
    page.on('response', (response) => {
      const request = response.request();
      if (response.status() >= 400 && request.isNavigationRequest() && request.frame() === page.mainFrame()) {
        errorDocuments.add(response.url());
      }
    });
    page.on('requestfailed', (request) => {
      const failure = request.failure()?.errorText ?? 'unknown';
      // Navigating on while a request is still open cancels it; that is no fault.
      if (failure !== 'net::ERR_ABORTED') found.push(`request failed: ${request.method()} ${request.url()}: ${failure}`);
    });
  };
  for (const page of context.pages()) attach(page);
  context.on('page', attach);

  return {
    problems: () => [
      ...found,
      ...consoleErrors
        .filter((entry) => !(entry.text.startsWith('Failed to load resource') && errorDocuments.has(entry.url)))
        .map((entry) => `console error (${entry.url || 'no url'}): ${entry.text}`),
    ],
  };
}

/**
 * Starts the built server and chromium before a file's (or describe block's) tests and
 * stops both after them. Read `.server` and `.browser` inside tests, not at import.
 */
export function useServerAndBrowser(): { readonly server: RunningServer; readonly browser: Browser } {
  const running = {} as { server: RunningServer; browser: Browser };
  beforeAll(async () => {
    [running.server, running.browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await running.browser?.close();
    await running.server?.stop();
  });
  return running;
}

/**
 * A journey's set-up: the built server and browser of useServerAndBrowser, and
 * `visitor(options)` opening a fresh browser context on it (JavaScript off unless asked),
 * each closed after its test. `newContext(options)` opens a bare context with the same
 * options that the caller closes, for one shared by a describe block's tests.
 */
export function useVisitors() {
  const running = useServerAndBrowser();
  const contexts: BrowserContext[] = [];
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });
  const visitor = (options: VisitorOptions = {}) => openVisitor(running.browser, running.server.url, contexts, options);
  const newContext = (options: VisitorOptions = {}) => newVisitorContext(running.browser, running.server.url, options);
  return { running, visitor, newContext };
}

/** Signs in through the real form (English) and waits for the account page. */
export async function signInAs(page: Page, email: string, password = 'demo-qala-2026'): Promise<void> {
  await page.goto('/en/sign-in/');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/en/account/');
}

/**
 * Clicks a submit button (by its exact name) and returns the status of the answer to
 * the form post itself (303 when it redirects), once the next page has loaded.
 */
export async function submitForm(page: Page, button: string): Promise<number> {
  const answer = page.waitForResponse((response) => response.request().method() === 'POST' && response.request().isNavigationRequest());
  await page.getByRole('button', { name: button, exact: true }).first().click();
  const status = (await answer).status();
  await page.waitForLoadState();
  return status;
}

/** How a visitor's browser is set: JavaScript and CSP bypass off, English, 1280 px wide unless asked. */
export interface VisitorOptions {
  javaScript?: boolean;
  /** Lets axe's inline script run past the site's CSP. */
  bypassCSP?: boolean;
  width?: number;
  /** The browser's language (its Accept-Language); 'en' unless asked. */
  locale?: string;
}

/** A fresh browser context on the server (no cookies), set as asked; the caller closes it. */
export async function newVisitorContext(browser: Browser, baseURL: string, options: VisitorOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScript ?? false,
    bypassCSP: options.bypassCSP ?? false,
    locale: options.locale ?? 'en',
    baseURL,
    viewport: { width: options.width ?? 1280, height: 900 },
  });
  context.setDefaultTimeout(10_000);
  return context;
}

/**
 * A fresh visitor: a browser context on the server as newVisitorContext sets it, with
 * problems watched. The context is added to `open`, for the test to close.
 */
export async function openVisitor(
  browser: Browser,
  baseURL: string,
  open: BrowserContext[],
  options: VisitorOptions = {},
): Promise<{ page: Page; watcher: ProblemWatcher }> {
  const context = await newVisitorContext(browser, baseURL, options);
  open.push(context);
  const watcher = await watchProblems(context);
  return { page: await context.newPage(), watcher };
}

/**
 * On a prerendered page with JavaScript, waits until the header's user menu is final: for
 * a browser with the signed-in hint, the one fetched from /<lang>/user-menu/ (it wraps its
 * content in `.user-menu`); without the hint the page asks for nothing and the sign-in
 * link it came with is final. Pages rendered on demand have the menu in place.
 */
export async function userMenuSettled(page: Page): Promise<void> {
  if ((await page.locator('[data-user-menu]').count()) === 0) return;
  const cookies = await page.evaluate(() => document.cookie).catch(() => '');
  if (!hasSignedInHint(cookies)) return;
  await page.locator('[data-user-menu] > .user-menu').waitFor({ state: 'attached' });
}
