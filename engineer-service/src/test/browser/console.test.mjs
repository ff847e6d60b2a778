// The engineer console in a real headless Chromium, driven by playwright-core. Started by
// ConsoleBrowserTest (src/test/java/io/ascall/engineer/console), which registers the engineer,
// makes the offer when this script prints READY, and checks the API after ACCEPTED.
//
// Env: BASE_URL, ENGINEER_REGION, ENGINEER_LABEL (the option's text), CHROMIUM (the browser's
// executable), SCREENSHOT (where to save the page at the end). Lines on stdout: READY, OFFER
// <callId>, ACCEPTED <assignmentId> <callId>; any failure ends with exit code 1. Stops by itself
// after TIME_LIMIT_MS whatever happens, and removes the browser profile it made.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TIME_LIMIT_MS = 120_000;
const { BASE_URL, ENGINEER_REGION, ENGINEER_LABEL, CHROMIUM, SCREENSHOT } = process.env;
const profile = mkdtempSync(join(tmpdir(), 'engineer-console-'));
let context;

const cleanUp = async () => {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
};
const timeLimit = setTimeout(async () => {
  console.log('FAILED: the test did not finish within ' + TIME_LIMIT_MS / 1000 + ' s');
  await cleanUp();
  process.exit(1);
}, TIME_LIMIT_MS);

try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.on('console', message => {
    if (message.type() === 'error') console.log('browser console: ' + message.text());
  });
  page.on('pageerror', error => console.log('page error: ' + error.message));

  await page.goto(BASE_URL + '/console/');
  await page.getByLabel('Find by region').fill(ENGINEER_REGION);
  await page.getByRole('button', { name: 'Show' }).click();
  const engineer = page.getByLabel('Working as');
  await engineer.locator('option', { hasText: ENGINEER_LABEL }).waitFor({ state: 'attached' });
  await engineer.selectOption({ label: ENGINEER_LABEL });
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
  // a reload would lose this
  await page.evaluate(() => { window.sameDocument = true; });
  console.log('READY');

  const offer = page.locator('li.assignment[data-status="OFFERED"]').first();
  await offer.waitFor({ timeout: 60_000 });
  const callId = await offer.getAttribute('data-call-id');
  const assignmentId = await offer.getAttribute('data-assignment-id');
  if (!await page.evaluate(() => window.sameDocument === true)) {
    throw new Error('the page was reloaded');
  }
  const announced = await page.locator('#announcer').textContent();
  if (!announced.startsWith('New offer')) {
    throw new Error('the offer was not announced to screen readers: "' + announced + '"');
  }
  console.log('OFFER ' + callId);

  await offer.getByRole('button', { name: /^Accept/ }).click();
  await page.locator(`li.assignment[data-assignment-id="${assignmentId}"][data-status="ACCEPTED"]`)
    .getByRole('button', { name: /^Complete/ }).waitFor({ timeout: 30_000 });
  if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT, fullPage: true });
  console.log('ACCEPTED ' + assignmentId + ' ' + callId);
  clearTimeout(timeLimit);
  await cleanUp();
} catch (error) {
  console.log('FAILED: ' + (error?.stack ?? error));
  clearTimeout(timeLimit);
  await cleanUp();
  process.exit(1);
}
