// The engineer console in a real headless Chromium, driven by playwright-core, against the real
// services and Keycloak. Started by ConsoleSystemTest (src/test/java/io/ascall/system), which starts
// the system, makes the offers and checks the saga; this script is the engineer at the browser.
//
// Env: BASE_URL (engineer-service), ISSUER (the realm's URL), USERNAME and PASSWORD (the account),
// SCENARIO, ENGINEER_NAME (offer only), CHROMIUM (the browser's executable), SCREENSHOTS (a folder).
// Scenarios, and the lines each prints on stdout (commands it waits for on stdin in brackets):
//   offer        LOGGED_IN, READY, OFFER <callId> <assignmentId>, ACCEPTED, [COMPLETE], COMPLETED
//   no-engineer  NO_ENGINEER, REFRESHED, RENEWED, LOGGED_OUT
// Any failure prints FAILED and ends with exit code 1. Stops by itself after TIME_LIMIT_MS whatever
// happens, and removes the browser profile it made.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const TIME_LIMIT_MS = 240_000;
const STEP_MS = 60_000;
const { BASE_URL, ISSUER, USERNAME, PASSWORD, SCENARIO, ENGINEER_NAME, CHROMIUM, SCREENSHOTS } = process.env;
const CONSOLE = BASE_URL + '/console/';
const profile = mkdtempSync(join(tmpdir(), 'engineer-console-'));
let context;

const commands = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
async function command(expected) {
  const { value, done } = await commands.next();
  if (done || value.trim() !== expected) throw new Error('expected the command ' + expected + ', got ' + (done ? 'nothing' : value));
}

const cleanUp = async () => {
  await context?.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
};
const timeLimit = setTimeout(async () => {
  console.log('FAILED: the test did not finish within ' + TIME_LIMIT_MS / 1000 + ' s');
  await cleanUp();
  process.exit(1);
}, TIME_LIMIT_MS);

function check(condition, what) {
  if (!condition) throw new Error(what);
}

/** Every request the page sends to engineer-service's API, and what became of it. */
function watchApi(page) {
  const calls = [];
  page.on('request', request => {
    const url = new URL(request.url());
    if (url.origin !== new URL(BASE_URL).origin || url.pathname.startsWith('/console/')) return;
    const call = { method: request.method(), path: url.pathname, authorization: null, status: null };
    calls.push(call);
    request.allHeaders().then(headers => { call.authorization = headers.authorization ?? ''; }).catch(() => {});
    request.response().then(response => { call.status = response?.status() ?? null; }).catch(() => {});
  });
  return calls;
}

function tokenGrants(page) {
  const grants = [];
  page.on('request', request => {
    if (request.method() === 'POST' && request.url().startsWith(ISSUER + '/protocol/openid-connect/token')) {
      grants.push(new URLSearchParams(request.postData() ?? '').get('grant_type'));
    }
  });
  return grants;
}

/** Every API request carried the engineer's bearer token. */
function checkTokens(calls) {
  const bare = calls.filter(call => !/^Bearer \S+$/.test(call.authorization ?? ''));
  check(bare.length === 0, 'requests without a bearer token: '
    + bare.map(call => call.method + ' ' + call.path + ' (' + JSON.stringify(call.authorization) + ')').join(', '));
}

/** Log in on Keycloak's own login page, from the console's Log in button, and come back. */
async function logIn(page) {
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(url => url.href.startsWith(ISSUER + '/protocol/openid-connect/auth'), { timeout: STEP_MS });
  await page.locator('input[name=username]').fill(USERNAME);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.locator('#kc-login').click();
  await page.waitForURL(url => url.href.startsWith(CONSOLE), { timeout: STEP_MS });
  // the account's name once the service took the token, or what went wrong
  await page.waitForFunction(user => document.getElementById('account-name').textContent === user
    || document.getElementById('session-error').textContent !== '', USERNAME, { timeout: STEP_MS });
  const error = await page.locator('#session-error').textContent();
  check(error === '', 'the console says: ' + error);
  await page.locator('#account-name').filter({ hasText: USERNAME }).waitFor({ timeout: STEP_MS });
  check(!/[#&?](code|state)=/.test(page.url()), 'the login\'s answer stayed in the address: ' + page.url());
}

async function offer(page) {
  const calls = watchApi(page);
  await page.goto(CONSOLE);
  await page.getByRole('button', { name: 'Log in' }).waitFor({ timeout: STEP_MS });
  check(calls.length === 0, 'the page called the API before anyone logged in: ' + calls.map(c => c.path).join(', '));
  await logIn(page);
  console.log('LOGGED_IN');
  await page.locator('#engineer-name').filter({ hasText: ENGINEER_NAME }).waitFor({ timeout: STEP_MS });
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: STEP_MS });
  // a reload would lose this
  await page.evaluate(() => { window.sameDocument = true; });
  console.log('READY');

  const offered = page.locator('li.assignment[data-status="OFFERED"]').first();
  await offered.waitFor({ timeout: STEP_MS });
  const callId = await offered.getAttribute('data-call-id');
  const assignmentId = await offered.getAttribute('data-assignment-id');
  check(await page.evaluate(() => window.sameDocument === true), 'the page was reloaded');
  const announced = await page.locator('#announcer').textContent();
  check(announced.startsWith('New offer'), 'the offer was not announced to screen readers: "' + announced + '"');
  console.log('OFFER ' + callId + ' ' + assignmentId);

  const assignment = page.locator(`li.assignment[data-assignment-id="${assignmentId}"]`);
  await offered.getByRole('button', { name: /^Accept/ }).click();
  await assignment.and(page.locator('[data-status="ACCEPTED"]'))
    .getByRole('button', { name: /^Complete/ }).waitFor({ timeout: STEP_MS });
  if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, 'console-accepted.png'), fullPage: true });
  console.log('ACCEPTED');

  await command('COMPLETE');
  await assignment.getByRole('button', { name: /^Complete/ }).click();
  await assignment.and(page.locator('[data-status="COMPLETED"]')).waitFor({ timeout: STEP_MS });
  check(await page.locator('#action-error').textContent() === '', 'an error is shown: '
    + await page.locator('#action-error').textContent());
  check(await page.evaluate(() => window.sameDocument === true), 'the page was reloaded');
  checkTokens(calls);
  const posts = calls.filter(call => call.method === 'POST').map(call => call.path + ' ' + call.status);
  check(JSON.stringify(posts) === JSON.stringify([
    `/assignments/${assignmentId}/accept 200`, `/assignments/${assignmentId}/complete 200`]),
  'the answers sent: ' + JSON.stringify(posts));
  check(calls.some(call => call.path.endsWith('/assignments/stream') && call.status === 200),
    'the stream was not read from the service: ' + JSON.stringify(calls));
  console.log('COMPLETED');
}

async function waitUntil(condition, what) {
  const deadline = Date.now() + STEP_MS;
  while (!await condition()) {
    check(Date.now() < deadline, 'not within ' + STEP_MS / 1000 + ' s: ' + what);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
}

const storedTokens = page => page.evaluate(() => JSON.parse(sessionStorage.getItem('ascall.console.tokens')));

async function noEngineer(page) {
  const calls = watchApi(page);
  const grants = tokenGrants(page);
  // the page's clock, to be moved on to just before its token expires
  await page.clock.install();
  await page.goto(CONSOLE);
  await logIn(page);
  const notice = page.locator('#no-engineer');
  await notice.waitFor({ timeout: STEP_MS });
  check(/no engineer is registered for your account/i.test(await notice.textContent()),
    'the notice says: ' + await notice.textContent());
  check(await page.locator('#engineer-card').isHidden(), 'an engineer is shown');
  check((await page.getByRole('status').textContent()).includes('Not connected'), 'a stream was opened');
  check(!calls.some(call => call.path.includes('/assignments')), 'assignments were asked for: ' + JSON.stringify(calls));
  if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, 'console-no-engineer.png'), fullPage: true });
  console.log('NO_ENGINEER');

  // a little before the access token expires, the console renews it with its refresh token
  const first = await storedTokens(page);
  check(first.refreshToken, 'no refresh token was kept');
  grants.length = 0;
  await page.clock.fastForward(first.expiresAt - await page.evaluate(() => Date.now()) - 20_000);
  await waitUntil(async () => (await storedTokens(page)).accessToken !== first.accessToken, 'a renewed token');
  check(JSON.stringify(grants) === '["refresh_token"]', 'token requests: ' + JSON.stringify(grants));
  check((await storedTokens(page)).expiresAt > first.expiresAt, 'the renewed token does not expire later');
  console.log('REFRESHED');

  // an access token the service refuses (as a revoked or expired one): the console renews it once
  // with its refresh token and goes on, the engineer notices nothing
  await page.evaluate(() => {
    const tokens = JSON.parse(sessionStorage.getItem('ascall.console.tokens'));
    const [header, , signature] = tokens.accessToken.split('.');
    const claims = btoa(JSON.stringify({ sub: 'nobody', exp: Math.floor(Date.now() / 1000) + 600 }))
      .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    tokens.accessToken = [header, claims, signature].join('.');
    sessionStorage.setItem('ascall.console.tokens', JSON.stringify(tokens));
  });
  calls.length = 0;
  grants.length = 0;
  await page.reload();
  await notice.waitFor({ timeout: STEP_MS });
  const me = calls.filter(call => call.path === '/engineers/me').map(call => call.status);
  check(JSON.stringify(me) === '[401,404]', 'GET /engineers/me answered ' + JSON.stringify(me));
  check(JSON.stringify(grants) === '["refresh_token"]', 'token requests: ' + JSON.stringify(grants));
  check(await page.locator('#session-error').textContent() === '', 'an error is shown: '
    + await page.locator('#session-error').textContent());
  checkTokens(calls);
  console.log('RENEWED');

  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL(url => url.href.startsWith(CONSOLE), { timeout: STEP_MS });
  await page.getByRole('button', { name: 'Log in' }).waitFor({ timeout: STEP_MS });
  check(await page.evaluate(() => sessionStorage.getItem('ascall.console.tokens')) === null, 'the tokens were kept');
  // the provider's session ended too: logging in again asks for the password
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(url => url.href.startsWith(ISSUER + '/protocol/openid-connect/auth'), { timeout: STEP_MS });
  await page.locator('input[name=password]').waitFor({ timeout: STEP_MS });
  console.log('LOGGED_OUT');
}

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
  const scenarios = { offer, 'no-engineer': noEngineer };
  check(scenarios[SCENARIO], 'no scenario ' + SCENARIO);
  try {
    await scenarios[SCENARIO](page);
  } catch (error) {
    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, 'console-failed-' + SCENARIO + '.png'), fullPage: true }).catch(() => {});
    throw error;
  }
  clearTimeout(timeLimit);
  await cleanUp();
  process.exit(0);
} catch (error) {
  console.log('FAILED: ' + (error?.stack ?? error));
  clearTimeout(timeLimit);
  await cleanUp();
  process.exit(1);
}
