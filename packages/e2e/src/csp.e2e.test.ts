// The Content-Security-Policy holds in a real Chromium (issue 15, finding 6): the link page,
// the room, and the staff pages run without a single violation (no inline script anywhere;
// Mantine's run-time <style> elements carry the page's nonce). And the built app as served:
// pre-compressed, and the link page's entry without router, staff, dashboard or room code.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import type { Page } from 'puppeteer-core';
import { join, openStaff, PHONE } from './browser.ts';
import { repoRoot } from './common.ts';
import { productAndBrowser } from './stack.ts';
import { staffOf } from './staff.ts';

const ctx = productAndBrowser();

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

// Registered before the page's own scripts (DevTools-injected, outside the page's CSP).
const RECORD_VIOLATIONS = `(() => {
  const list = (window.__cspViolations = []);
  document.addEventListener('securitypolicyviolation', (e) =>
    list.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample }));
})();`;

/** Watches a page for CSP violations: the DOM event and Chromium's console report alike. */
async function watch(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) console.push(m.text());
  });
  await page.evaluateOnNewDocument(RECORD_VIOLATIONS);
  return async () => {
    const seen = await page
      .evaluate(() => (window as unknown as { __cspViolations?: Violation[] }).__cspViolations ?? [])
      .catch(() => [] as Violation[]);
    return [...seen.map((v) => `${v.directive} ${v.blocked} ${v.sample}`), ...console];
  };
}

/** A page in a new context, watched from its first byte. */
async function watchedPage(path: string): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  const context = await ctx.browser.createBrowserContext();
  const page = await context.newPage();
  const violations = await watch(page);
  const res = await page.goto(`${ctx.product.base}${path}`, { waitUntil: 'domcontentloaded' });
  expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
  return { page, violations };
}

describe('the Content-Security-Policy in Chromium', () => {
  it('the served HTML has no inline script, and its nonce matches the header', async () => {
    const res = await fetch(`${ctx.product.url}/join/abc`);
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="\/assets\//);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i); // no inline event handlers either
    const nonce = /'nonce-([^']+)'/.exec(res.headers.get('content-security-policy') ?? '')?.[1];
    expect(nonce).toBeTruthy();
    expect(html).toContain(`<meta property="csp-nonce" nonce="${nonce}">`);
    // The build itself (what the server fills in) has no inline script.
    const built = readFileSync(resolve(repoRoot, 'apps/web/dist/index.html'), 'utf8');
    expect([...built.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].every((m) => m[1]!.trim() === '')).toBe(true);
  });

  it('the link page, its device check and the room run without a violation', async () => {
    const seat = await ctx.product.staff('csp-room', 'specialist');
    const specialist = await openStaff(ctx.browser, seat);
    const specialistViolations = await watch(specialist);
    await specialist.reload({ waitUntil: 'domcontentloaded' }); // watched from its first byte
    await join(specialist);

    const { page: client, violations } = await watchedPage(new URL(await ctx.product.link('csp-room', 'client')).pathname);
    await client.setViewport(PHONE);
    await client.waitForSelector('h1');
    await client.waitForSelector('[data-testid="join-button"]:not([disabled])', { timeout: 20_000 });
    // The device check arrives lazily after the first render; it must show, styled, too.
    await client.waitForFunction(() => document.body.innerText.length > 200, { timeout: 20_000 });
    await join(client);
    await client.waitForSelector('[data-testid="waiting-room"]', { timeout: 15_000 });
    const entry = await specialist.waitForSelector('[data-testid="waiting-entry"]', { timeout: 15_000 });
    const id = await entry!.evaluate((el) => el.getAttribute('data-peer-id'));
    await specialist.click(`[data-testid="admit-${id}"]`);
    await client.waitForSelector('[data-testid="waiting-room"]', { hidden: true, timeout: 15_000 });
    // Mantine really did inject <style> elements, and each carries the nonce.
    const styles = await client.$$eval('style', (els) => els.map((e) => (e as HTMLStyleElement).nonce));
    expect(styles.length).toBeGreaterThan(0);
    expect(styles.every((n) => n.length > 0)).toBe(true);

    expect(await violations()).toEqual([]);
    expect(await specialistViolations()).toEqual([]);
    await client.browserContext().close();
    await specialist.browserContext().close();
  }, 90_000);

  it('the home, sign-in, staff and dashboard pages run without a violation', async () => {
    const home = await watchedPage('/');
    await home.page.waitForSelector('h1');
    await home.page.click('a[href="/sign-in"]');
    await home.page.waitForSelector('input[type="password"]', { timeout: 15_000 });
    expect(await home.violations()).toEqual([]);
    await home.page.browserContext().close();

    const id = ctx.product.consultationId('csp-room');
    const specialist = await staffOf(ctx.product.prisma, id, 'specialist', 'Соколова Ирина Викторовна');
    const staff = await watchedPage('/sign-in');
    await specialist.signIn(staff.page);
    await staff.page.goto(`${ctx.product.base}/staff`, { waitUntil: 'domcontentloaded' });
    await staff.page.waitForSelector('h1', { timeout: 15_000 });
    await staff.page.goto(`${ctx.product.base}/account`, { waitUntil: 'domcontentloaded' });
    await staff.page.waitForSelector('h1', { timeout: 15_000 });
    expect(await staff.violations()).toEqual([]);
    await staff.page.browserContext().close();

    // The health dashboard: charts (recharts) and the admins' screens.
    const admin = await staffOf(ctx.product.prisma, id, 'admin', 'Админ Проверка');
    const dash = await watchedPage('/sign-in');
    await admin.signIn(dash.page);
    await dash.page.goto(`${ctx.product.base}/admin/health`, { waitUntil: 'domcontentloaded' });
    await dash.page.waitForSelector('h1', { timeout: 15_000 });
    await new Promise((r) => setTimeout(r, 1500)); // a snapshot or two drawn
    expect(await dash.violations()).toEqual([]);
    await dash.page.browserContext().close();
  }, 90_000);
});

describe('the built web app as served', () => {
  it('sends the link page’s files pre-compressed, cached as immutable, and without staff, router, chart or room code', async () => {
    const html = await (await fetch(`${ctx.product.url}/join/abc`)).text();
    const files = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
    expect(files.length).toBeGreaterThan(1);
    let code = '';
    let css = 0;
    for (const file of files) {
      const res = await fetch(`${ctx.product.url}${file}`, { headers: { 'accept-encoding': 'br' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const text = await res.text(); // fetch decodes by itself
      // Files under 512 bytes have no compressed copy (vite.config.ts); the others go as brotli.
      const copy = resolve(repoRoot, 'apps/web/dist', `.${file}.br`);
      if (existsSync(copy)) {
        expect(res.headers.get('content-encoding')).toBe('br');
        expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
        expect(brotliDecompressSync(readFileSync(copy)).toString('utf8')).toBe(text);
      } else {
        expect(Buffer.byteLength(text)).toBeLessThan(512);
      }
      if (file.endsWith('.css')) css += existsSync(copy) ? readFileSync(copy).length : Buffer.byteLength(text);
      else code += text;
    }
    // What blocks the first paint (the stylesheets; the scripts are modules, deferred) is small.
    expect(css).toBeLessThan(20_000);
    const ru = JSON.parse(readFileSync(resolve(repoRoot, 'apps/web/src/locales/ru.json'), 'utf8')) as Record<
      string,
      Record<string, unknown>
    >;
    expect(code).toContain(String(ru.app!.subtitle)); // the link page's own text is there…
    expect(code).not.toContain(String((ru.staff!.nav as Record<string, string>).audit)); // …the staff screens' is not
    expect(code).not.toContain('recharts');
    expect(code).not.toContain('<Router>'); // react-router's messages: the router is not in the entry
    expect(code).not.toMatch(/mediasoup/i); // the room's code loads after the first render
  });
});
