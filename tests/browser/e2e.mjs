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
//   the state before; the loading class is set and the live count says
//   "Searching…" while a slow fetch is pending (never for a fast one), and
//   an answer that arrives after a newer one is dropped;
// - the sort menu: without words relevance is disabled and newest chosen;
//   typing words makes relevance the choice;
// - the article page's back link restores the whole search (q, filters,
//   sort), by history when the article was opened from it, by its URL
//   otherwise;
// - an author link on a card filters by that author alone;
// - the author filter box only offers authors of the current search, and
//   asks /api/facets with the search's parameters;
// - a date range typed into the inputs, and one dragged over the timeline,
//   both end up in the URL as from/to;
// - the keyboard: "/" focuses the box, arrows move through results, Enter
//   opens one;
// - the article page marks the matches, links to the first one and lists
//   related articles;
// - the same search works with JavaScript disabled (form submission); the
//   controls that need JavaScript (author filter box, "press n") are hidden
//   then, and on a phone the results come before the filters;
// - the search page links every match in context, a page of aligned
//   matches whose article links open the article with its marks;
// - the hostile title is shown as text and no dialog ever opens; the page
//   breaks no Content-Security-Policy rule and throws no error.
// Saves screenshots of the search page, the empty state and the article page
// in light, dark and phone-width versions in the output folder (never in the
// repository). With UPDATE_DOCS=1 it also copies readme.png to
// docs/screenshot-search.png, the README's picture.
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
// The search shown in the README's screenshot.
const README_SEARCH = '/search?q=water&theme=Environment&theme=Law+%26+Justice';
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

// The number of articles the live count states ("12 articles · Page 1 of 2").
async function countNumber(page) {
  const m = /^(?:All )?([\d,]+) articles?/.exec(await countText(page));
  return m ? Number(m[1].replace(/,/g, '')) : NaN;
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
    const count = await countNumber(page);
    check(count === facetCount, `count "${await countText(page)}" does not match the facet's ${facetCount}`);
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

  await test('a pending fetch marks the results loading and the count says Searching…', async () => {
    let release;
    const gate = new Promise((r) => { release = r; });
    await page.route(/fragment=1/, async (route) => { await gate; await route.continue(); });
    await page.locator('#sort').selectOption('newest');
    await page.waitForSelector('#results-region.is-loading', { timeout: WAIT_MS });
    check(await page.locator('#results-region').getAttribute('aria-busy') === 'true', 'not aria-busy');
    await page.waitForFunction(() =>
      document.getElementById('result-count').textContent.trim() === 'Searching…', null,
    { timeout: WAIT_MS });
    check(await page.locator('#result-count').getAttribute('aria-live') === 'polite', 'aria-live changed');
    release();
    await page.waitForSelector('#results-region:not(.is-loading)', { timeout: WAIT_MS });
    check(await countText(page) === unfilteredCount, `count after the answer: ${await countText(page)}`);
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

  await test('a fast answer never shows Searching…', async () => {
    await page.goto(base + '/search?q=elections');
    await page.evaluate(() => {
      window.__counts = [];
      new MutationObserver(() => window.__counts.push(
        document.getElementById('result-count').textContent.trim()))
        .observe(document.getElementById('result-count'), { childList: true, characterData: true, subtree: true });
    });
    await page.locator('#sort').selectOption('oldest');
    await waitForUrl(page, (u) => u.searchParams.get('sort') === 'oldest', 'sort=oldest');
    await page.waitForTimeout(500);
    const seen = await page.evaluate(() => window.__counts);
    check(!seen.includes('Searching…'), `the count flickered: ${seen}`);
  });

  await test('the sort menu: no relevance without words, relevance once typed', async () => {
    await page.goto(base + '/');
    const options = await page.locator('#sort option').allTextContents();
    check(JSON.stringify(options.map((t) => t.trim())) === '["Relevance","Newest","Oldest"]',
      `options ${options}`);
    check(await page.locator('#sort-relevance').isDisabled(), 'relevance enabled without words');
    check((await page.locator('#sort option:checked').textContent()).trim() === 'Newest',
      'newest is not the choice without words');
    await page.locator('#q').fill('elections');
    await waitForUrl(page, (u) => u.searchParams.get('q') === 'elections', 'q=elections');
    check(!(await page.locator('#sort-relevance').isDisabled()), 'relevance still disabled');
    check((await page.locator('#sort option:checked').textContent()).trim() === 'Relevance',
      'relevance is not the choice with words');
    check(!params(page).has('sort'), `sort in the URL: ${page.url()}`);
    await page.locator('#sort').selectOption({ label: 'Oldest' });
    await waitForUrl(page, (u) => u.searchParams.get('sort') === 'oldest', 'sort=oldest');
    await page.locator('#q').fill('');
    await waitForUrl(page, (u) => !u.searchParams.has('q'), 'no q');
    check((await page.locator('#sort option:checked').textContent()).trim() === 'Oldest',
      'an explicit oldest was lost');
    await page.goBack();
    await waitForUrl(page, (u) => u.searchParams.get('q') === 'elections', 'q back');
    check((await page.locator('#sort option:checked').textContent()).trim() === 'Oldest',
      'back did not restore the sort');
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
    check(await page.locator('.match-nav-hint').isVisible(), 'no "press n" hint with JavaScript');
    await page.locator('a[href="#m1"]').click();
    await page.waitForFunction(() => location.hash === '#m1');
    check((await page.locator('.related-item').count()) > 0, 'no related articles');
    check((await page.locator('h1.article-title').count()) === 1, 'no h1');
    await page.keyboard.press('n');
    check((await page.locator('mark.is-current').count()) === 1, '"n" did not pick a match');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(outDir, 'article-match.png') });
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

  await test('the author filter box only offers authors of this search', async () => {
    await page.goto(base + '/search?q=elections&region=Russia+and+FSU&author=Oleg+Petrenko');
    const input = page.locator('[data-facet-filter="author"]');
    // Ingrid Solberg wrote 4 articles of the index, none about elections.
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.url().includes('/api/facets/author'), { timeout: WAIT_MS }),
      input.fill('ingrid')
    ]);
    const asked = new URL(request.url()).searchParams;
    check(asked.get('q') === 'elections' && asked.get('region') === 'Russia and FSU' &&
      asked.get('author') === 'Oleg Petrenko' && asked.get('prefix') === 'ingrid',
    `lookup not scoped to the search: ${request.url()}`);
    const response = await (await request.response()).json();
    check(Array.isArray(response.values) && response.values.length === 0,
      `authors without results offered: ${JSON.stringify(response.values)}`);
    await page.waitForTimeout(150);
    check(await page.locator('[data-facet-found="author"]').isHidden(), 'a list of other authors shows');
    check((await page.locator('.facet[data-facet="author"] .facet-value:visible').count()) === 0,
      'authors shown for "ingrid"');
  });

  await test('an author link on a card filters by that author alone', async () => {
    await page.goto(base + '/search?author=Dana+Whitfield&author=Oleg+Petrenko');
    const before = await countNumber(page);
    const link = page.locator('#hits .author-link', { hasText: 'Oleg Petrenko' }).first();
    await link.click();
    await waitForUrl(page, (u) => u.searchParams.getAll('author').length === 1, 'one author');
    check(JSON.stringify(params(page).getAll('author')) === '["Oleg Petrenko"]',
      `authors ${params(page).getAll('author')}`);
    await page.waitForFunction((n) => {
      const m = /^(\d+) articles?/.exec(document.getElementById('result-count').textContent.trim());
      return m && Number(m[1]) < n;
    }, before, { timeout: WAIT_MS });
    const authors = await page.locator('#hits .hit-authors').allTextContents();
    check(authors.length > 0 && authors.every((t) => t.includes('Oleg Petrenko')),
      `other authors' articles listed: ${authors}`);
  });

  await test('the article back link restores the whole search', async () => {
    const search = '/search?q=elections&region=Russia+and+FSU&sort=oldest';
    const same = (u) => u.pathname === '/search' && u.searchParams.get('q') === 'elections' &&
      u.searchParams.get('region') === 'Russia and FSU' && u.searchParams.get('sort') === 'oldest';
    const restored = async (how) => {
      await waitForUrl(page, same, `the search back (${how})`);
      await page.locator('#hits .hit').first().waitFor();
      check(await page.locator('.facet input[value="Russia and FSU"]').isChecked(), `region lost (${how})`);
      check((await page.locator('#sort').inputValue()) === 'oldest', `sort lost (${how})`);
      check((await page.locator('#q').inputValue()) === 'elections', `query lost (${how})`);
    };
    // Opened from the search, with a jump to a match in between: history.
    await page.goto(base + search);
    const entries = await page.evaluate(() => history.length);
    await page.locator('#hits .hit-link').first().click();
    await page.waitForURL(/\/article\//);
    const back = page.locator('a[data-back]');
    const href = new URL(await back.getAttribute('href'), base);
    check(same(href), `back link goes to ${href}`);
    check((await back.textContent()).includes('Results for “elections”'), await back.textContent());
    await page.locator('#jump-first').click();
    await page.waitForFunction(() => location.hash === '#m1');
    await back.click();
    await restored('history');
    check(await page.evaluate(() => history.length) === entries + 2,
      'the back link added a history entry instead of going back');
    // Opened on its own (a shared link): the link's URL.
    const article = base + (await page.locator('#hits .hit-link').first().getAttribute('href'));
    await page.goto(base + '/');
    await page.goto(article);
    await page.locator('a[data-back]').click();
    await restored('link');
    // A related article keeps the way back.
    await page.goto(article);
    await page.locator('.related-link').first().click();
    await page.waitForURL(/\/article\//);
    check(same(new URL(await page.locator('a[data-back]').getAttribute('href'), base)),
      'a related article lost the way back');
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
    // The search page with results, the empty state and the article page.
    const shots = [
      { name: 'search', url: '/search?q=government', ready: '#hits .hit' },
      { name: 'empty', url: '/search?q=zzyzx+elections', ready: '.state-empty' },
      { name: 'article', url: '/article/globe/county-clerks-and-ballots?q=elections', ready: '.article-body' }
    ];
    const looks = [
      { suffix: '', options: { viewport: { width: 1280, height: 900 }, colorScheme: 'light' } },
      { suffix: '-dark', options: { viewport: { width: 1280, height: 900 }, colorScheme: 'dark' } },
      { suffix: '-phone', options: { viewport: { width: 390, height: 844 }, colorScheme: 'light',
        isMobile: true, hasTouch: true } }
    ];
    const all = [];
    for (const look of looks) {
      const context = await browser.newContext({ ...look.options, reducedMotion: 'reduce' });
      const p = await context.newPage();
      all.push(...watch(p));
      for (const shot of shots) {
        await p.goto(base + shot.url);
        await p.locator(shot.ready).first().waitFor();
        await p.locator('#q').blur();
        if (look.suffix === '-dark') {
          const bg = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
          check(bg !== 'rgb(246, 245, 241)', `dark mode kept the light background ${bg}`);
        }
        if (look.suffix === '-phone') {
          const overflow = await p.evaluate(() =>
            document.documentElement.scrollWidth > window.innerWidth + 1);
          check(!overflow, `the ${shot.name} page scrolls sideways on a phone`);
          if (shot.name === 'search') {
            check(!(await p.locator('#filters-panel').evaluate((d) => d.open)),
              'filters are not collapsed on a phone');
          }
        }
        await p.screenshot({ path: path.join(outDir, `${shot.name}${look.suffix}.png`) });
      }
      await context.close();
    }
    check(all.length === 0, all.join('\n'));
  });

  await test('the README screenshot: a search with filters and marks', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 },
      colorScheme: 'light', reducedMotion: 'reduce' });
    const p = await context.newPage();
    const problems = watch(p);
    await p.goto(base + README_SEARCH);
    await p.locator('#hits .hit').first().waitFor();
    await p.locator('#q').blur();
    check((await p.locator('.facet input:checked').count()) >= 2, 'no filters ticked');
    check((await p.locator('#hits mark').count()) > 0, 'no marks');
    await p.screenshot({ path: path.join(outDir, 'readme.png') });
    await context.close();
    check(problems.length === 0, problems.join('\n'));
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
    check(await p.locator('[data-facet-filter="author"]').isHidden(),
      'the author filter box shows without JavaScript');
    await p.goto(base + '/search?q=elections&region=Russia+and+FSU');
    await p.locator('#hits .hit-link').first().click();
    await p.waitForURL(/\/article\//);
    check(await p.locator('.match-nav-hint').isHidden(), 'the "press n" hint shows without JavaScript');
    await Promise.all([p.waitForURL(/\/search\?/), p.locator('a[data-back]').click()]);
    check(params(p).get('region') === 'Russia and FSU' && params(p).get('q') === 'elections',
      `the back link lost the search: ${p.url()}`);
    await nojs.close();
  });

  await test('every match in context: a page reached from the results', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const p = await context.newPage();
    const problems = watch(p);
    await p.goto(base + '/search?q=elections');
    await Promise.all([p.waitForURL(/\/in-context\?/),
      p.locator('.research-links a', { hasText: 'Every match in context' }).click()]);
    const rows = await p.locator('.kwic tbody tr').count();
    check(rows > 0, 'no match in context');
    check((await p.locator('.kwic .kwic-match mark').count()) === rows, 'a row without its match');
    // The words before each match end at its left edge: right-aligned.
    const left = await p.locator('.kwic td.kwic-left').first().boundingBox();
    const match = await p.locator('.kwic td.kwic-match').first().boundingBox();
    check(left && match && Math.abs(left.x + left.width - match.x) < 2,
      `the words before the match do not meet it: ${JSON.stringify([left, match])}`);
    check(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      'the page scrolls sideways');
    await Promise.all([p.waitForURL(/\/article\//), p.locator('.kwic .kwic-source a').first().click()]);
    check((await p.locator('mark').count()) > 0, 'the article does not mark the match');
    await p.goto(base + '/in-context?q=elections');
    await p.screenshot({ path: path.join(outDir, 'in-context.png') });
    // Ordered by the words after the match, chosen in the form.
    await p.goto(base + '/in-context?q=state');
    await p.selectOption('select[name=order]', 'after');
    await Promise.all([p.waitForURL(/order=after/), p.locator('.compare-form button').click()]);
    const firstWords = (await p.locator('.kwic td.kwic-right').allTextContents()).map((t) =>
      (t.trim().split(/\s+/).map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}.]+$/gu, ''))
        .find((w) => w !== '') || '').toLowerCase());
    check(firstWords.length > 1, `only ${firstWords.length} rows for state`);
    const unsorted = firstWords.findIndex((w, i) => i > 0 && w < firstWords[i - 1]);
    check(unsorted === -1, `rows not ordered by the word after: ${firstWords.slice(Math.max(0, unsorted - 1), unsorted + 1)}`);
    check(await p.locator('.kwic-neighbours a').count() > 0, 'no words listed around the matches');
    check(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      'the ordered page scrolls sideways');
    await p.screenshot({ path: path.join(outDir, 'in-context-after.png') });
    await context.close();
    check(problems.length === 0, problems.join('\n'));
  });

  await test('on a phone without JavaScript the results come first', async () => {
    const nojs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 },
      isMobile: true, hasTouch: true });
    const p = await nojs.newPage();
    await p.goto(base + '/search?q=government');
    const hit = await p.locator('#hits .hit').first().boundingBox();
    const filters = await p.locator('#filters').boundingBox();
    check(hit && hit.y < 844 - 100, `the first result starts at ${hit && hit.y}, below the first screen`);
    check(filters && filters.y > hit.y, 'the filters come before the results');
    check(await p.locator('.filters-jump').isVisible(), 'no link to the filters');
    await p.screenshot({ path: path.join(outDir, 'search-phone-nojs.png') });
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

// The repository is only written to when asked.
const readme = path.join(outDir, 'readme.png');
if (process.env.UPDATE_DOCS === '1' && fs.existsSync(readme)) {
  fs.copyFileSync(readme, path.join(repo, 'docs', 'screenshot-search.png'));
  console.log('wrote docs/screenshot-search.png');
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
