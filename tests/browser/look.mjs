// The look of a Dutch public service, measured: Lighthouse's accessibility, best-practices and
// SEO scores on the home page, a search with a query and an offer page (each at least MIN_SCORE,
// else the run fails), the first search result visible in the first screen of a 390 px phone,
// and the stylesheet served under a fingerprinted name with long caching.
//
// Usage: node look.mjs BASE_URL   (started by `cargo test`, tests/it/browser.rs)

import { chromium } from 'playwright-core';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const base = process.argv[2];
assert.ok(base, 'usage: node look.mjs BASE_URL');
const artifacts = process.env.ARTIFACTS_DIR || path.resolve('artifacts');
fs.mkdirSync(artifacts, { recursive: true });
const chromePath = process.env.CHROMIUM || '/usr/bin/chromium';

const MIN_SCORE = 0.95;
const CATEGORIES = ['accessibility', 'best-practices', 'seo'];
const PHONE = { width: 390, height: 844 };
const failures = [];

function fail(step, message) {
  failures.push(`${step}: ${message}`);
  console.log(`  FAIL ${step}: ${message}`);
}

// An offer to measure: the first result of a search.
const searchUrl = `${base}/zoeken?q=zorg`;
const searchHtml = await (await fetch(searchUrl)).text();
const offerPath = (searchHtml.match(/href="(\/opleidingen\/\d+)"/) || [])[1];
assert.ok(offerPath, 'a search for "zorg" finds an offer');

// The stylesheet: fingerprinted, cached for a year, unchanged under its name.
const cssPath = (searchHtml.match(/<link rel="stylesheet" href="(\/static\/leerpad\.[0-9a-f]{12}\.css)">/) || [])[1];
if (!cssPath) {
  fail('stylesheet', 'the page does not link a fingerprinted /static/leerpad.<hash>.css');
} else {
  const css = await fetch(`${base}${cssPath}`);
  const cache = css.headers.get('cache-control') || '';
  if (css.status !== 200 || !/max-age=31536000/.test(cache) || !/immutable/.test(cache)) {
    fail('stylesheet', `${cssPath}: status ${css.status}, cache-control "${cache}"`);
  } else {
    console.log(`  ok stylesheet ${cssPath} (${cache})`);
  }
}

// The first result in the first screen of a phone, with JavaScript off (nothing needs it).
{
  const browser = await chromium.launch({
    executablePath: chromePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false, locale: 'nl-NL' });
  const page = await context.newPage();
  await page.goto(searchUrl);
  await page.screenshot({ path: path.join(artifacts, 'look-search-390px.png') });
  const top = await page.locator('.result-list > li').first().evaluate((e) => e.getBoundingClientRect().top);
  if (top >= PHONE.height) fail('search-390px', `the first result starts at ${Math.round(top)}px, below the first screen (${PHONE.height}px)`);
  else console.log(`  ok search-390px: the first result starts at ${Math.round(top)}px of ${PHONE.height}px`);
  // Wide screens show the filters open beside the results.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: path.join(artifacts, 'look-search-desktop.png') });
  if (!(await page.locator('.facets input[type="checkbox"]').first().isVisible())) {
    fail('search-desktop', 'the filters are folded away on a wide screen');
  }
  await context.close();
  await browser.close();
}

// Lighthouse, in the phone form factor it uses by default.
const chrome = await chromeLauncher.launch({
  chromePath,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const pages = [
  ['home', `${base}/`],
  ['search', searchUrl],
  ['offer', `${base}${offerPath}`],
];
const scores = {};
try {
  for (const [name, url] of pages) {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: CATEGORIES,
    });
    const lhr = result.lhr;
    fs.writeFileSync(path.join(artifacts, `lighthouse-${name}.json`), result.report);
    scores[name] = {};
    for (const category of CATEGORIES) {
      const score = lhr.categories[category].score;
      scores[name][category] = Math.round(score * 100);
      if (score === null || score < MIN_SCORE) {
        const failed = lhr.categories[category].auditRefs
          .map((ref) => lhr.audits[ref.id])
          .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'manual')
          .map((a) => `${a.id} (${a.title})`);
        fail(`lighthouse ${name}`, `${category} ${Math.round(score * 100)} < ${MIN_SCORE * 100}: ${failed.join('; ')}`);
      }
    }
    console.log(`  lighthouse ${name} ${url}: ${CATEGORIES.map((c) => `${c} ${scores[name][c]}`).join(', ')}`);
  }
} finally {
  await chrome.kill();
}

if (failures.length) console.log(`${failures.length} problems:\n${failures.join('\n')}`);
console.log(`look: ${JSON.stringify(scores)}`);
console.log(`look: ${failures.length === 0 ? 'passed' : 'failed'}`);
process.exit(failures.length ? 1 : 0);
