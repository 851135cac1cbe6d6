import { expect } from '@jest/globals';
import type { Page } from 'puppeteer-core';
import { checkA11y } from './a11y.ts';
import { PHONE, screenshot } from './browser.ts';

// Small steps of the records-and-reports journey (records-reports.e2e.test.ts): what a person
// does on a screen more than once, and reading a file the way its download link serves it.

export const DESKTOP = { width: 1280, height: 800 };
export const sel = (id: string) => `[data-testid="${id}"]`;
export const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));
export const textOf = (page: Page, selector: string) => page.$eval(selector, (el) => (el.textContent ?? '').trim());
/** A figure as the screen writes it (ru: «4,5», «1 234») → a number. */
export const figure = (text: string) => Number(text.replace(/\s/g, '').replace(',', '.'));

/** A page at a laptop's and a phone's width. */
export async function both(page: Page, name: string): Promise<void> {
  await page.setViewport(DESKTOP);
  await settle();
  await screenshot(page, `${name}-desktop`);
  await page.setViewport(PHONE);
  await settle();
  await screenshot(page, `${name}-phone`);
  await page.setViewport(DESKTOP);
}

/** No serious or critical WCAG violation on the page as it is now (axe-core). */
export async function accessible(page: Page, name: string): Promise<void> {
  expect(await checkA11y(page, name)).toEqual([]);
}

/** Replaces a field's text as a person would: select all, delete, type. */
export async function retype(page: Page, selector: string, value: string): Promise<void> {
  await page.click(selector);
  await page.keyboard.down('Control');
  await page.keyboard.press('A');
  await page.keyboard.up('Control');
  await page.keyboard.press('Backspace');
  await page.type(selector, value);
}

/** Presses the mark `score` (1–5) of one criterion of the анкета: its segment's label. */
export async function mark(page: Page, criterion: string, score: number): Promise<void> {
  const labels = await page.$$(`${sel(`feedback-${criterion}`)} label`);
  expect(labels).toHaveLength(5);
  await labels[score - 1]!.click();
}

/** What a download link fetches with the page's own session (its cookies): status, type and bytes. */
export async function download(page: Page, url: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const file = await page.evaluate(async (u) => {
    const res = await fetch(u, { credentials: 'same-origin' });
    const bytes = new Uint8Array(await res.arrayBuffer());
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    return { status: res.status, type: res.headers.get('content-type'), base64: btoa(binary) };
  }, url);
  return { status: file.status, type: file.type, bytes: Buffer.from(file.base64, 'base64') };
}
