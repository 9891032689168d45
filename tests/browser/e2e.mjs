// End-to-end tests of the pundit search page in real headless Chromium.
//
//   node e2e.mjs --pundit <path to the pundit binary> --out <screenshot folder>
//                [--corpus <folder>] [--chromium /usr/bin/chromium]
//
// (or PUNDIT_BIN, E2E_OUT, PUNDIT_CORPUS, CHROMIUM in the environment).
// Indexes the repository's corpus/ plus a hostile article whose title is
// markup, starts `pundit serve --port 0`, and checks:
// - a search typed into the box shows results and the URL follows it;
// - ticking a facet changes results, counts and URL; the back button restores
//   the state before; the loading class is set while a fetch is pending, and
//   an answer that arrives after a newer one is dropped;
// - a date range typed into the inputs, and one dragged over the timeline,
//   both end up in the URL as from/to;
// - the keyboard: "/" focuses the box, arrows move through results, Enter
//   opens one;
// - the article page marks the matches, links to the first one and lists
//   related articles;
// - the same search works with JavaScript disabled (form submission);
// - the hostile title is shown as text and no dialog ever opens; the page
//   breaks no Content-Security-Policy rule and throws no error.
// Saves search.png, search-dark.png, search-phone.png and article.png in the
// output folder and copies search.png to docs/screenshot-search.png.
// Prints "N passed, N failed" last; exits non-zero on any failure.
import { chromium } from 'playwright-core';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');

function option(name, envName, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1];
  return process.env[envName] || fallback;
}

const punditBin = option('pundit', 'PUNDIT_BIN', '');
const outDir = path.resolve(option('out', 'E2E_OUT', path.join(repo, 'build', 'screenshots')));
const corpus = path.resolve(option('corpus', 'PUNDIT_CORPUS', path.join(repo, 'corpus')));
const chromiumPath = option('chromium', 'CHROMIUM', '/usr/bin/chromium');
const HOSTILE_TITLE = '<img src=x onerror=alert(1)>';
const WAIT_MS = 15000;

if (!punditBin || !fs.existsSync(punditBin)) {
  console.error(`e2e.mjs: error: no pundit binary at "${punditBin}"; pass --pundit PATH`);
  console.log('0 passed, 1 failed');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pundit-e2e-'));

// ---- the index and the server ------------------------------------------------

function buildIndex() {
  const extra = path.join(tmp, 'extra');
  fs.mkdirSync(extra, { recursive: true });
  const hostile = {
    id: 'hostile', title: HOSTILE_TITLE, author: ['Mallory Hacker'], date: '2021-04-01',
    region: ['Europe'], theme: ['Media'], source: 'Test Wire', url: '',
    body: 'A zanzibarine headline planted to check that titles are shown as text, ' +
      'never run as markup.\n\nNothing in it may run.'
  };
  fs.writeFileSync(path.join(extra, 'hostile.jsonl'), JSON.stringify(hostile) + '\n');
  const db = path.join(tmp, 'db');
  const run = spawnSync(punditBin, ['index', '--db', db, corpus, extra], { encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(`pundit index failed (${run.status}): ${run.stderr}`);
  }
  return db;
}

function startServer(db) {
  return new Promise((resolve, reject) => {
    const child = spawn(punditBin, ['serve', '--db', db, '--host', '127.0.0.1', '--port', '0'],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${seen}`)), WAIT_MS);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      if (timer === null) return;
      seen += chunk;
      const m = /pundit: serving .* on (http:\/\/\S+?)\/?\s*$/m.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1].replace(/\/$/, '') });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${seen}`)));
  });
}

// ---- a tiny test runner --------------------------------------------------------

const results = [];
async function test(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${error && error.stack ? error.stack : error}`);
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

function params(page) {
  return new URL(page.url()).searchParams;
}

// Problems a page reports on its own: script errors, CSP refusals, dialogs.
function watch(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) {
      problems.push(`console error: ${m.text()}`);
    }
  });
  page.on('dialog', async (d) => {
    problems.push(`dialog opened: ${d.message()}`);
    await d.dismiss();
  });
  return problems;
}

async function countText(page) {
  return (await page.locator('#result-count').textContent()).trim();
}

async function hitTitles(page) {
  return page.locator('#hits .hit-link').allTextContents();
}

async function waitForUrl(page, predicate, what) {
  await page.waitForURL(predicate, { timeout: WAIT_MS, waitUntil: 'commit' })
    .catch(() => { throw new Error(`URL never got ${what}: ${page.url()}`); });
}

// ---- the tests ----------------------------------------------------------------------

const launchArgs = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic',
  '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync'];

let server = null;
let browser = null;
try {
  const db = buildIndex();
  server = await startServer(db);
  const { base } = server;
  browser = await chromium.launch({ executablePath: chromiumPath, args: launchArgs });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  const problems = watch(page);

  let unfilteredCount = '';
  let unfilteredTitles = [];

  await test('typing a query shows results and the URL follows', async () => {
    await page.goto(base + '/');
    check((await page.title()).includes('pundit'), 'home page has no title');
    await page.locator('#q').click();
    await page.keyboard.type('elections', { delay: 30 });
    await waitForUrl(page, (u) => u.searchParams.get('q') === 'elections', 'q=elections');
    await page.waitForFunction(() => /^\d+ articles?$/.test(
      document.getElementById('result-count').textContent.trim()));
    await page.locator('#hits .hit').first().waitFor();
    unfilteredCount = await countText(page);
    unfilteredTitles = await hitTitles(page);
    check(unfilteredTitles.length >= 2, `expected several hits, got ${unfilteredTitles.length}`);
    check((await page.locator('#hits mark').count()) > 0, 'no <mark> in the results');
    check((await page.title()).startsWith('elections'), `title is ${await page.title()}`);
  });

  await test('ticking a facet applies it at once: results, counts and URL change', async () => {
    const facet = page.locator('.facet[data-facet="region"] .facet-value').first();
    const value = await facet.locator('input').getAttribute('value');
    const facetCount = Number((await facet.locator('.facet-count').textContent()).replace(/,/g, ''));
    await facet.locator('label').click();
    await waitForUrl(page, (u) => u.searchParams.has('region'), 'a region');
    check(params(page).get('region') === value, `region=${params(page).get('region')} != ${value}`);
    await page.waitForFunction((before) =>
      document.getElementById('result-count').textContent.trim() !== before, unfilteredCount);
    const count = await countText(page);
    check(count === `${facetCount} article${facetCount === 1 ? '' : 's'}`,
      `count "${count}" does not match the facet's ${facetCount}`);
    check(await page.locator(`.facet input[value="${value}"]`).isChecked(), 'facet not checked');
    check((await page.locator('.active-filters .chip-active').count()) === 1, 'no active-filter chip');
  });

  await test('the back button restores the previous state', async () => {
    await page.goBack();
    await waitForUrl(page, (u) => !u.searchParams.has('region') &&
      u.searchParams.get('q') === 'elections', 'the unfiltered search back');
    await page.waitForFunction((before) =>
      document.getElementById('result-count').textContent.trim() === before, unfilteredCount);
    const titles = await hitTitles(page);
    check(JSON.stringify(titles) === JSON.stringify(unfilteredTitles), 'results differ after back');
    check((await page.locator('.facet[data-facet="region"] input:checked').count()) === 0,
      'a region is still ticked');
    check((await page.locator('#q').inputValue()) === 'elections', 'search box lost the query');
    await page.goForward();
    await waitForUrl(page, (u) => u.searchParams.has('region'), 'the region again (forward)');
    await page.goBack();
    await waitForUrl(page, (u) => !u.searchParams.has('region'), 'no region');
  });

  await test('the results region is marked loading while a fetch is pending', async () => {
    let release;
    const gate = new Promise((r) => { release = r; });
    await page.route(/fragment=1/, async (route) => { await gate; await route.continue(); });
    await page.locator('#sort').selectOption('newest');
    await page.waitForSelector('#results-region.is-loading', { timeout: WAIT_MS });
    check(await page.locator('#results-region').getAttribute('aria-busy') === 'true', 'not aria-busy');
    release();
    await page.waitForSelector('#results-region:not(.is-loading)', { timeout: WAIT_MS });
    await page.unroute(/fragment=1/);
    check(params(page).get('sort') === 'newest', 'sort not in the URL');
    const dates = await page.locator('#hits time').evaluateAll((els) => els.map((e) => e.dateTime));
    const sorted = [...dates].sort().reverse();
    check(JSON.stringify(dates) === JSON.stringify(sorted), `not newest first: ${dates}`);
  });

  await test('an answer that arrives after a newer one is dropped', async () => {
    let releaseSlow;
    const slowGate = new Promise((r) => { releaseSlow = r; });
    await page.route(/fragment=1/, async (route) => {
      if (new URL(route.request().url()).searchParams.get('q') === 'zanzibarine') {
        await slowGate;  // the first answer comes last
      }
      await route.continue().catch(() => {});  // the page may have aborted it
    });
    await page.locator('#q').fill('zanzibarine');
    await page.waitForTimeout(400);  // past the typing delay: the slow request is out
    await page.locator('#q').fill('elections');
    await waitForUrl(page, (u) => u.searchParams.get('q') === 'elections', 'q=elections');
    await page.locator('#hits .hit').first().waitFor();
    releaseSlow();
    await page.waitForTimeout(500);
    await page.unroute(/fragment=1/);
    check(params(page).get('q') === 'elections', `URL went back to ${page.url()}`);
    check(!(await page.content()).includes('zanzibarine'), 'the stale answer was shown');
  });

  await test('a typed date range goes into the URL', async () => {
    await page.goto(base + '/search?q=elections');
    await page.locator('#from').fill('2016-01-01');
    await page.locator('#to').fill('2022-12-31');
    await waitForUrl(page, (u) => u.searchParams.get('from') === '2016-01-01' &&
      u.searchParams.get('to') === '2022-12-31', 'from/to typed');
    await page.locator('.active-filters .chip-active').first().waitFor();
    const dates = await page.locator('#hits time').evaluateAll((els) => els.map((e) => e.dateTime));
    check(dates.every((d) => d >= '2016-01-01' && d <= '2022-12-31'), `dates out of range: ${dates}`);
  });

  await test('dragging over the timeline picks a date range', async () => {
    await page.goto(base + '/');
    const svg = page.locator('#timeline-svg');
    await svg.waitFor();
    const bars = await page.locator('#timeline-svg .tl-bucket').count();
    check(bars >= 3, `only ${bars} timeline buckets`);
    const box = await svg.boundingBox();
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.15, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.35, y, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.65, y, { steps: 5 });
    await page.mouse.up();
    await waitForUrl(page, (u) => u.searchParams.has('from') && u.searchParams.has('to'),
      'from/to dragged');
    const from = params(page).get('from'), to = params(page).get('to');
    check(/^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from < to,
      `bad range ${from}..${to}`);
    check((await page.locator('#from').inputValue()) === from, 'from input not set');
    check((await page.locator('#to').inputValue()) === to, 'to input not set');
    await page.locator('#timeline-svg .tl-bucket.in-range').first().waitFor();
    const dates = await page.locator('#hits time').evaluateAll((els) => els.map((e) => e.dateTime));
    check(dates.length > 0 && dates.every((d) => d >= from && d <= to), `dates out of range: ${dates}`);
  });

  await test('the keyboard: "/" focuses the box, arrows move, Enter opens', async () => {
    await page.goto(base + '/search?q=elections');
    await page.locator('#hits .hit').first().waitFor();
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('/');
    check(await page.evaluate(() => document.activeElement.id === 'q'), '"/" did not focus the box');
    await page.keyboard.press('ArrowDown');
    const first = await page.evaluate(() => document.activeElement.getAttribute('href'));
    await page.keyboard.press('ArrowDown');
    const second = await page.evaluate(() => document.activeElement.getAttribute('href'));
    check(first && first.startsWith('/article/'), `ArrowDown focused ${first}`);
    check(second && second.startsWith('/article/') && second !== first, 'second ArrowDown did not move');
    await page.keyboard.press('ArrowUp');
    check(await page.evaluate(() => document.activeElement.getAttribute('href')) === first, 'ArrowUp');
    await Promise.all([page.waitForURL(/\/article\//), page.keyboard.press('Enter')]);
    check(new URL(page.url()).pathname + new URL(page.url()).search === first, 'Enter opened another page');
  });

  await test('the article page marks matches and lists related articles', async () => {
    await page.goto(base + '/search?q=elections');
    await page.locator('#hits .hit-link').first().click();
    await page.waitForURL(/\/article\//);
    check((await page.locator('.article-body mark, .lede mark').count()) > 0, 'no marks');
    check((await page.locator('#m1').count()) === 1, 'no #m1 anchor');
    await page.locator('a[href="#m1"]').click();
    await page.waitForFunction(() => location.hash === '#m1');
    check((await page.locator('.related-item').count()) > 0, 'no related articles');
    check((await page.locator('h1.article-title').count()) === 1, 'no h1');
    await page.keyboard.press('n');
    check((await page.locator('mark.is-current').count()) === 1, '"n" did not pick a match');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(outDir, 'article.png') });
    // Back past the #m1 entry to the search, which shows its results again.
    for (let i = 0; i < 3 && !new URL(page.url()).pathname.startsWith('/search'); i++) {
      await page.goBack();
    }
    check(new URL(page.url()).pathname === '/search', `back went to ${page.url()}`);
    await page.locator('#hits .hit').first().waitFor();
  });

  await test('the author filter box narrows the list', async () => {
    await page.goto(base + '/');
    const input = page.locator('[data-facet-filter="author"]');
    const visibleBefore = await page.locator('.facet[data-facet="author"] .facet-value:visible').count();
    await input.fill('dana');
    await page.waitForTimeout(100);
    const visible = await page.locator('.facet[data-facet="author"] .facet-value:visible').allTextContents();
    check(visible.length >= 1 && visible.length < visibleBefore, `filter left ${visible.length}`);
    check(visible.every((t) => /dana/i.test(t)), `unrelated authors shown: ${visible}`);
  });

  await test('the hostile title shows as text and nothing runs', async () => {
    await page.goto(base + '/search?q=zanzibarine');
    await page.locator('#hits .hit').first().waitFor();
    const link = page.locator('#hits .hit-link').first();
    check((await link.textContent()).trim() === HOSTILE_TITLE, `title is ${await link.textContent()}`);
    check(await page.getByText(HOSTILE_TITLE, { exact: true }).first().isVisible(), 'not visible');
    check((await page.locator('img').count()) === 0, 'an <img> element was created');
    await link.click();
    await page.waitForURL(/\/article\//);
    check((await page.locator('h1').textContent()).trim() === HOSTILE_TITLE, 'article h1 differs');
    check((await page.locator('img').count()) === 0, 'an <img> element on the article page');
    check(problems.length === 0, problems.join('\n'));
  });

  await test('no script error, CSP refusal or dialog on any page', async () => {
    check(problems.length === 0, problems.join('\n'));
  });

  await test('the light and dark themes and a phone-width screen render', async () => {
    const light = await browser.newContext({ viewport: { width: 1280, height: 900 },
      colorScheme: 'light', reducedMotion: 'reduce' });
    const lightPage = await light.newPage();
    const lightProblems = watch(lightPage);
    await lightPage.goto(base + '/search?q=government');
    await lightPage.locator('#hits .hit').first().waitFor();
    await lightPage.locator('#q').blur();
    await lightPage.screenshot({ path: path.join(outDir, 'search.png') });
    await light.close();
    const dark = await browser.newContext({ viewport: { width: 1280, height: 900 },
      colorScheme: 'dark', reducedMotion: 'reduce' });
    const darkPage = await dark.newPage();
    const darkProblems = watch(darkPage);
    await darkPage.goto(base + '/search?q=government');
    await darkPage.locator('#q').blur();
    const bg = await darkPage.evaluate(() => getComputedStyle(document.body).backgroundColor);
    check(bg !== 'rgb(246, 245, 241)', `dark mode kept the light background ${bg}`);
    await darkPage.screenshot({ path: path.join(outDir, 'search-dark.png') });
    await dark.close();
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 },
      colorScheme: 'light', reducedMotion: 'reduce', isMobile: true, hasTouch: true });
    const phonePage = await phone.newPage();
    const phoneProblems = watch(phonePage);
    await phonePage.goto(base + '/search?q=elections');
    check(!(await phonePage.locator('#filters-panel').evaluate((d) => d.open)),
      'filters are not collapsed on a phone');
    const overflow = await phonePage.evaluate(() =>
      document.documentElement.scrollWidth > window.innerWidth + 1);
    check(!overflow, 'the page scrolls sideways on a phone');
    await phonePage.screenshot({ path: path.join(outDir, 'search-phone.png') });
    await phone.close();
    const all = lightProblems.concat(darkProblems, phoneProblems);
    check(all.length === 0, all.join('\n'));
  });

  await test('with JavaScript off the search still works', async () => {
    const nojs = await browser.newContext({ javaScriptEnabled: false });
    const p = await nojs.newPage();
    await p.goto(base + '/search?q=elections');
    check((await p.locator('#hits .hit').count()) > 0, 'no results without JavaScript');
    check(await p.locator('.nojs-only button, button.nojs-only').first().isVisible(),
      'no Apply button without JavaScript');
    await p.goto(base + '/');
    await p.locator('#q').fill('parliament');
    await Promise.all([p.waitForURL(/q=parliament/), p.locator('#q').press('Enter')]);
    check((await p.locator('#hits .hit').count()) > 0, 'the form submission found nothing');
    const region = p.locator('.facet[data-facet="region"] input').first();
    await region.check();
    await Promise.all([p.waitForURL(/region=/),
      p.locator('.filters button[type=submit]').click()]);
    check(await p.locator('.facet[data-facet="region"] input:checked').count() === 1,
      'the facet was not applied');
    await nojs.close();
  });
} catch (error) {
  results.push({ name: 'setup', ok: false });
  console.log(`FAIL setup: ${error && error.stack ? error.stack : error}`);
} finally {
  if (browser) await browser.close().catch(() => {});
  if (server) server.child.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}

const shot = path.join(outDir, 'search.png');
if (fs.existsSync(shot)) {
  fs.mkdirSync(path.join(repo, 'docs'), { recursive: true });
  fs.copyFileSync(shot, path.join(repo, 'docs', 'screenshot-search.png'));
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
