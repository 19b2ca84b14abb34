// The learner's journey in real Chromium: register, build a profile from a pasted CV, see
// occupations and a training plan, open an offer, check its financing, download one's data and
// delete the account. Run three times: Dutch on a 360 px phone, English on a desktop (through
// the language switch), and Dutch with JavaScript disabled. Every page visited with JavaScript
// on is checked with axe-core (WCAG 2.1 A/AA: no serious or critical violations), for
// horizontal overflow and for its transferred size; screenshots go to ARTIFACTS_DIR.
//
// Then the advisor's journey with the demo's example accounts (password in DEMO_PASSWORD):
// Fatima sees her caseload, adds working hours, reads Anna's profile (Anna gave consent) and
// writes a new version of Anna's plan; Anna reads it, responds, downloads her appointment as
// an iCalendar file and sees in her access log that Fatima looked. Twice: with JavaScript on a
// desktop and without it on a phone.
//
// Then the provider's journey: a teacher registers, becomes a provider, registers her
// organisation, uploads a file of courses (a dry run first), is verified by the demo's
// programme manager and applies to the open call on its page; the manager checks the
// application. After the server restarts a month ahead (the call has closed), the manager
// approves it and Anna sees the course free on its page (runs provider-desktop, then
// decision-desktop, which only runs when asked for in RUNS). Then the regions: a manager adds an
// initiative that Anna sees on her region's page, and a new employer's staff exchange matches.
//
// Usage: node learner.mjs BASE_URL   (started by `cargo test`, tests/browser.rs)

import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const base = process.argv[2];
assert.ok(base, 'usage: node learner.mjs BASE_URL');
const artifacts = process.env.ARTIFACTS_DIR || path.resolve('artifacts');
fs.mkdirSync(artifacts, { recursive: true });

// Page weight without images, as the issue sets it.
const MAX_PAGE_BYTES = 100 * 1024;
const PASSWORD = 'een lang en sterk wachtwoord';

const CV = {
  nl: 'Ik werk sinds 2015 als verzorgende in een verpleeghuis. Ik help cliënten met wassen, ' +
    'aankleden en eten. Ik geef medicijnen volgens het protocol en ik rapporteer in het ' +
    'elektronisch dossier. Ik werk samen met verpleegkundigen en ik communiceer met familie. ' +
    'I also speak English, use Microsoft Excel and plan the team schedule.',
  en: 'Since 2015 I have worked as a care assistant in a nursing home. I help clients with ' +
    'washing, dressing and eating, administer medication following protocols and keep the ' +
    'electronic health record up to date. I work with nurses, communicate with families and ' +
    'plan the team schedule in Microsoft Excel.',
};
const JOB = { nl: 'verzorgende IG', en: 'care assistant' };
// The career she wants to move into, typed as a person would.
const GOAL = { nl: 'verzorgende', en: 'nurse assistant' };
const TEXT = {
  nl: { deleted: 'Je account is verwijderd', skills: 'vaardigheden', welcome: 'Wat wil je doen?' },
  en: { deleted: 'Your account has been deleted', skills: 'skills', welcome: 'What would you like to do?' },
};

const failures = [];
let checks = 0;

function fail(run, step, message) {
  failures.push(`${run} / ${step}: ${message}`);
  console.log(`  FAIL ${step}: ${message}`);
}

/// Count the bytes of every response a navigation brings, images excepted.
function trackWeight(page) {
  const state = { bytes: 0 };
  page.on('response', async (response) => {
    const type = response.request().resourceType();
    if (type === 'image' || type === 'media' || type === 'font') return;
    try {
      const sizes = await response.request().sizes();
      state.bytes += sizes.responseBodySize + sizes.responseHeadersSize;
    } catch {
      // A response the page navigated away from has no sizes; it was not part of this page.
    }
  });
  return state;
}

// Words that are English and not Dutch: none may appear in the text of a Dutch page outside an
// element marked with another language (what the person typed in a form is not page text).
const ENGLISH_WORDS = ['the', 'and', 'with', 'your', 'you', 'skills', 'skill', 'customers',
  'ensure', 'manage', 'maintain', 'perform', 'provide', 'search', 'results', 'welcome', 'please',
  'sign', 'learn', 'learning', 'occupation', 'occupations', 'required', 'optional', 'should',
  'this', 'that', 'which', 'from', 'about', 'what', 'when', 'where', 'more than', 'is missing'];

async function englishOnDutchPage(page) {
  return page.evaluate((words) => {
    const body = document.body.cloneNode(true);
    body.querySelectorAll('[lang]:not([lang^="nl"]), script, style, noscript, template, textarea, input, select')
      .forEach((e) => e.remove());
    const text = ` ${body.textContent.replace(/\s+/g, ' ').toLowerCase()} `;
    return words.filter((w) => new RegExp(`[^\\p{L}]${w}[^\\p{L}]`, 'u').test(text));
  }, ENGLISH_WORDS);
}

/// Checks every page must pass; a screenshot in any case.
async function checkPage(ctx, page, step) {
  const { run, js, mobile, weight } = ctx;
  checks += 1;
  await page.waitForLoadState('load');
  await page.screenshot({ path: path.join(artifacts, `${run}-${String(checks).padStart(2, '0')}-${step}.png`), fullPage: true });
  const status = ctx.lastStatus;
  if (status >= 500) fail(run, step, `status ${status}`);
  const lang = await page.locator('html').getAttribute('lang');
  if (lang !== ctx.lang) fail(run, step, `<html lang> is ${lang}, expected ${ctx.lang}`);
  const h1 = await page.locator('h1').count();
  if (h1 !== 1) fail(run, step, `${h1} h1 elements`);
  if (await page.locator('a.skip-link[href="#main"]').count() !== 1) fail(run, step, 'no skip link');
  if (ctx.lang === 'nl') {
    const english = await englishOnDutchPage(page);
    if (english.length) fail(run, step, `English outside lang="en": ${english.slice(0, 8).join(', ')}`);
  }
  if (!js) return;
  // Let late responses be counted, then read the weight of this page.
  await page.waitForTimeout(50);
  if (weight.bytes > MAX_PAGE_BYTES) fail(run, step, `page weighs ${weight.bytes} bytes (> ${MAX_PAGE_BYTES})`);
  if (mobile) {
    const overflow = await page.evaluate(() => {
      const width = window.innerWidth;
      const extra = document.documentElement.scrollWidth - width;
      if (extra <= 0) return null;
      const wide = [...document.querySelectorAll('main *, header *, footer *')]
        .filter((e) => e.getBoundingClientRect().right > width + 0.5)
        .map((e) => `<${e.tagName.toLowerCase()} class="${e.className}">`);
      return `${extra}px, e.g. ${wide.slice(-3).join(' ')}`;
    });
    if (overflow) fail(run, step, `scrolls sideways at 360px wide by ${overflow}`);
  }
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) {
    fail(run, step, `axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')})`);
  }
  console.log(`  ok ${step} (${weight.bytes} B, axe: ${result.violations.length} minor/moderate, ${bad.length} serious/critical)`);
}

async function go(ctx, page, url, step) {
  ctx.weight.bytes = 0;
  const response = await page.goto(url);
  ctx.lastStatus = response ? response.status() : 0;
  await checkPage(ctx, page, step);
}

/// Click something that loads a new page, then check that page.
async function follow(ctx, page, action, step) {
  ctx.weight.bytes = 0;
  const [response] = await Promise.all([
    page.waitForNavigation(),
    action(),
  ]);
  ctx.lastStatus = response ? response.status() : 0;
  await checkPage(ctx, page, step);
}

async function journey(browser, { run, lang, js, mobile }) {
  console.log(`${run}: ${lang}, JavaScript ${js ? 'on' : 'off'}, ${mobile ? '360px phone' : 'desktop'}`);
  const context = await browser.newContext({
    javaScriptEnabled: js,
    acceptDownloads: true,
    viewport: mobile ? { width: 360, height: 740 } : { width: 1280, height: 900 },
    locale: lang === 'nl' ? 'nl-NL' : 'en-GB',
  });
  const page = await context.newPage();
  const ctx = { run, lang, js, mobile, weight: trackWeight(page), lastStatus: 0 };
  const email = `leerling-${run}-${Date.now()}@example.nl`;

  // Home, in Dutch first; the English run switches language with the link in the header.
  await go({ ...ctx, lang: 'nl' }, page, `${base}/?lang=nl`, 'home');
  if (lang === 'en') {
    await follow(ctx, page, () => page.locator('a[hreflang="en"]').click(), 'home-english');
  }

  // Search from the home page, filter, and check that the filters are a URL.
  await follow(ctx, page, async () => {
    await page.fill('#home-q', 'zorg');
    await page.locator('form[role="search"] button[type="submit"]').click();
  }, 'search');
  assert.match(page.url(), /\/zoeken\?q=zorg/);
  const plainUrl = page.url();
  const results = await page.locator('.result-list > li').count();
  if (results === 0) fail(run, 'search', 'no results for "zorg"');
  // On a phone the filters are folded into a panel, so the first result is in the first screen.
  if (!(await page.locator('.facets input[type="checkbox"]').first().isVisible())) {
    await page.locator('.filters-panel > summary').click();
  }
  const facet = page.locator('.facets input[type="checkbox"]').first();
  await facet.check();
  await follow(ctx, page, () => page.locator('.facets button[type="submit"]').click(), 'search-filtered');
  const filteredUrl = page.url();
  assert.notEqual(filteredUrl, plainUrl, 'a filter changes the URL');
  const filteredHeading = await page.locator('#results-title').textContent();
  await page.goBack();
  assert.equal(page.url(), plainUrl, 'back returns to the search without the filter');
  await page.goForward();
  assert.equal(page.url(), filteredUrl, 'forward returns to the filtered search');
  const shared = await context.newPage();
  await shared.goto(filteredUrl);
  assert.equal(await shared.locator('#results-title').textContent(), filteredHeading, 'a shared URL shows the same results');
  await shared.close();

  // Before registering: the financing check, whose answers the new account is offered.
  await go(ctx, page, `${base}/financiering`, 'financing-anonymous');
  await follow(ctx, page, async () => {
    await page.fill('#age', '44');
    await page.selectOption('#employment', { index: 1 });
    await page.selectOption('form[action="/financiering"] #education', { index: 2 });
    await page.fill('form[action="/financiering"] #municipality', 'Heerlen');
    await page.locator('form[action="/financiering"] button[type="submit"]').click();
  }, 'financing-anonymous-answered');

  // Register.
  await go(ctx, page, `${base}/registreren`, 'register');
  await follow(ctx, page, async () => {
    await page.fill('#display_name', 'Sam de Vries');
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await page.fill('#password_confirm', PASSWORD);
    await page.locator('main form button[type="submit"]').click();
  }, 'registered');
  assert.equal(await page.locator('form[action="/uitloggen"]').count(), 1, 'signed in after registering');
  assert.equal((await page.locator('h1').textContent()).trim(), TEXT[lang].welcome, 'after registering: what to do next');
  // The answers given before registering are offered to the account, and kept with consent.
  assert.equal(await page.locator('form[action="/welkom/antwoorden"]').count(), 1, 'earlier answers are offered');
  await follow(ctx, page, () => page.locator('form[action="/welkom/antwoorden"] button[value="ja"]').click(), 'welcome-answers-kept');
  await go(ctx, page, `${base}/vaardigheden`, 'skills-with-answers');
  assert.equal(await page.locator('form[action="/vaardigheden/situatie"] #municipality').inputValue(), 'Heerlen', 'the municipality is carried over');

  // Mijn vaardigheden: a job title, a pasted CV reviewed before saving, and the situation.
  await go(ctx, page, `${base}/vaardigheden`, 'skills');
  await follow(ctx, page, async () => {
    await page.fill('#title', JOB[lang]);
    await page.locator('form[action="/vaardigheden/beroep"] button[type="submit"]').click();
  }, 'skills-job');
  assert.ok(await page.locator('form[action$="/verwijderen"][action^="/vaardigheden/beroep/"]').count() >= 1, 'the job is in the profile');
  await follow(ctx, page, async () => {
    await page.fill('#cv_text', CV[lang]);
    await page.locator('form[action="/vaardigheden/cv"] button[type="submit"]').click();
  }, 'skills-cv-review');
  const found = await page.locator('form[action="/vaardigheden/cv/opslaan"] input[type="checkbox"]').count();
  if (found === 0) fail(run, 'skills-cv-review', 'no skills found in the CV');
  await follow(ctx, page, () => page.locator('form[action="/vaardigheden/cv/opslaan"] button[type="submit"]').click(), 'skills-cv-saved');
  const skillsHeading = await page.locator('#skills-title').textContent();
  const skillCount = Number((skillsHeading.match(/\((\d+)\)/) || [0, 0])[1]);
  assert.ok(skillCount > 0, `skills in the profile: ${skillsHeading}`);
  // A skill picked by search, with suggestions while typing when JavaScript is on.
  await page.locator('#zoek').pressSequentially('forklift', { delay: 30 });
  if (js) {
    await page.waitForFunction(() => document.querySelectorAll('#zoek-suggestions option').length > 0, null, { timeout: 5000 });
  }
  await follow(ctx, page, () => page.locator('form[action="/vaardigheden"] button[type="submit"]').click(), 'skills-search');
  await follow(ctx, page, () => page.locator('form[action="/vaardigheden/vaardigheid"] button[type="submit"]').first().click(), 'skills-picked');
  const afterPick = Number(((await page.locator('#skills-title').textContent()).match(/\((\d+)\)/) || [0, 0])[1]);
  assert.ok(afterPick > skillCount, `a picked skill is added (${skillCount} -> ${afterPick})`);
  await follow(ctx, page, async () => {
    await page.selectOption('form[action="/vaardigheden/situatie"] #education', { index: 3 });
    await page.fill('form[action="/vaardigheden/situatie"] #municipality', 'Maastricht');
    await page.selectOption('form[action="/vaardigheden/situatie"] #travel', { index: 3 });
    await page.fill('form[action="/vaardigheden/situatie"] #hours', '8');
    await page.fill('form[action="/vaardigheden/situatie"] #budget', '500');
    await page.locator('form[action="/vaardigheden/situatie"] button[type="submit"]').click();
  }, 'skills-situation');

  // Mijn kansen: occupations, then a gap and a training plan with an offer in it.
  await go(ctx, page, `${base}/kansen`, 'chances');
  const matches = await page.locator('main h2 a[href^="/kansen/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(matches.length > 0, 'occupations close to the profile');
  let offerHref = null;
  for (const href of matches.slice(0, 6)) {
    await go(ctx, page, `${base}${href}`, `chance-${href.split('/').pop()}`);
    assert.ok(await page.locator('#gap-title').count() === 1, 'the gap is shown');
    const planned = page.locator('section[aria-labelledby="plan-title"] h3 a[href^="/opleidingen/"]');
    if (await planned.count() > 0) {
      offerHref = await planned.first().getAttribute('href');
      break;
    }
  }
  assert.ok(offerHref, 'a training plan with at least one offer for one of the first occupations');

  // Another career: type a goal occupation, see its gap and plan; the same from ESCO's page.
  await go(ctx, page, `${base}/kansen`, 'career-switch');
  await follow(ctx, page, async () => {
    await page.fill('#beroep', GOAL[lang]);
    await page.locator('form[action="/kansen"][role="search"] button[type="submit"]').click();
  }, 'career-switch-search');
  const goals = page.locator('#goal-title ~ ul a[href^="/kansen/"]');
  assert.ok(await goals.count() > 0, `goal occupations for "${GOAL[lang]}"`);
  const goalHref = await goals.first().getAttribute('href');
  await follow(ctx, page, () => goals.first().click(), 'career-switch-gap');
  assert.equal(await page.locator('#gap-title').count(), 1, 'the gap for the goal');
  const planOffers = await page.locator('section[aria-labelledby="plan-title"] h3 a[href^="/opleidingen/"]')
    .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.equal(new Set(planOffers).size, planOffers.length, 'the plan lists an offer once');
  const occupationKey = goalHref.split('/').pop();
  await go(ctx, page, `${base}/esco/beroep/${occupationKey}`, 'career-switch-esco');
  await follow(ctx, page, () => page.locator(`main a[href="/kansen/${occupationKey}"]`).first().click(), 'career-switch-from-esco');
  assert.equal(await page.locator('#gap-title').count(), 1, 'from the occupation page to its gap');

  // The offer: what you learn, costs, schema.org Course data; then the financing check.
  await go(ctx, page, `${base}${offerHref}`, 'offer');
  const jsonLd = JSON.parse(await page.locator('script[type="application/ld+json"]').first().textContent());
  assert.equal(jsonLd['@type'], 'Course');
  assert.ok(jsonLd.name, 'the Course has a name');
  assert.ok(await page.locator('a[href^="/esco/vaardigheid/"]').count() > 0, 'skills link to their ESCO pages');
  await follow(ctx, page, () => page.locator('main a[href="/financiering"]').first().click(), 'financing');
  await follow(ctx, page, async () => {
    await page.fill('#age', '45');
    await page.selectOption('#employment', { index: 1 });
    await page.selectOption('form[action="/financiering"] #education', { index: 3 });
    await page.fill('form[action="/financiering"] #municipality', 'Maastricht');
    await page.locator('form[action="/financiering"] button[type="submit"]').click();
  }, 'financing-answered');
  assert.equal(await page.locator('#outcome-title').count(), 1, 'the check has an outcome');
  await go(ctx, page, `${base}${offerHref}`, 'offer-net-price');
  assert.equal(await page.locator('.net-price-line').count(), 1, 'the offer shows the net price after the check');

  // Free career advice: register for the example programme that gives places at once, book
  // a time with an advisor, see the plan page and who saw my data, then cancel.
  await go(ctx, page, `${base}/advies`, 'advice-programmes');
  await go(ctx, page, `${base}/advies/ontwikkeladvies-nl-leert-door`, 'advice-programme');
  await follow(ctx, page, () => page.locator('form[action$="/aanmelden"] button[type="submit"]').click(), 'advice-registered');
  assert.equal(await page.locator('a[href$="/afspraak"]').count(), 1, 'with a place, an appointment can be made');
  await follow(ctx, page, () => page.locator('a[href$="/afspraak"]').click(), 'advice-advisors');
  const advisors = await page.locator('section.advisor').count();
  if (advisors === 0) fail(run, 'advice-advisors', 'no advisor with free times');
  await follow(ctx, page, () => page.locator('section.advisor form button[type="submit"]').first().click(), 'advice-booked');
  assert.equal(await page.locator('a[href$=".ics"]').count(), 1, 'the booked appointment offers a calendar file');
  await calendarFile(context, page);
  await go(ctx, page, `${base}/advies/ontwikkeladvies-nl-leert-door/plan`, 'advice-plan');
  await go(ctx, page, `${base}/inzage`, 'access-log');
  await go(ctx, page, `${base}/berichten`, 'messages');
  await go(ctx, page, `${base}/advies/ontwikkeladvies-nl-leert-door`, 'advice-appointment');
  await follow(ctx, page, () => page.locator('form[action$="/afzeggen"] button[type="submit"]').click(), 'advice-cancelled');
  assert.equal(await page.locator('form[action$="/afzeggen"]').count(), 0, 'the appointment is cancelled');

  // My account: download everything as JSON, then delete the account.
  await go(ctx, page, `${base}/account`, 'account');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('a[href="/api/v1/me/export"]').click(),
  ]);
  const file = path.join(artifacts, `${run}-export.json`);
  await download.saveAs(file);
  const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
  const text = JSON.stringify(exported);
  assert.ok(text.includes(email), 'the export holds the account');
  assert.ok(text.includes('Maastricht'), 'the export holds the situation');
  assert.ok(/"skills":\[\{/.test(text), 'the export holds the skills');

  await follow(ctx, page, () => page.locator('form[action="/account/verwijderen"] button[type="submit"]').click(), 'delete-unconfirmed');
  assert.equal(await page.locator('#delete_confirm[aria-invalid="true"]').count(), 1, 'deleting asks for the confirmation box');
  await follow(ctx, page, async () => {
    await page.fill('#delete_password', PASSWORD);
    await page.check('#delete_confirm');
    await page.locator('form[action="/account/verwijderen"] button[type="submit"]').click();
  }, 'deleted');
  assert.equal((await page.locator('h1').textContent()).trim(), TEXT[lang].deleted);
  assert.equal(await page.locator('form[action="/uitloggen"]').count(), 0, 'signed out');

  // The account is gone: logging in again fails.
  await go(ctx, page, `${base}/inloggen`, 'login-after-delete');
  await follow(ctx, page, async () => {
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await page.locator('main form button[type="submit"]').click();
  }, 'login-refused');
  assert.equal(await page.locator('form[action="/uitloggen"]').count(), 0, 'cannot log in to a deleted account');
  assert.ok(await page.locator('.error-summary').count() === 1, 'the login says why');

  await context.close();
}

/// The appointment's calendar file, fetched with the page's session: an iCalendar event.
async function calendarFile(context, page) {
  const href = await page.locator('a[href$=".ics"]').first().getAttribute('href');
  const response = await context.request.get(`${base}${href}`);
  assert.equal(response.status(), 200, `${href} answers`);
  assert.match(response.headers()['content-type'] || '', /^text\/calendar/, 'served as text/calendar');
  assert.match(await response.text(), /BEGIN:VCALENDAR[\s\S]*BEGIN:VEVENT[\s\S]*DTSTART/, 'an iCalendar event');
}

async function newContext(browser, { lang, js, mobile }) {
  return browser.newContext({
    javaScriptEnabled: js,
    acceptDownloads: true,
    viewport: mobile ? { width: 360, height: 740 } : { width: 1280, height: 900 },
    locale: lang === 'nl' ? 'nl-NL' : 'en-GB',
  });
}

async function logIn(ctx, page, email, password, step) {
  await go(ctx, page, `${base}/inloggen`, `${step}-form`);
  await follow(ctx, page, async () => {
    await page.fill('#email', email);
    await page.fill('#password', password);
    await page.locator('main form button[type="submit"]').click();
  }, step);
  assert.equal(await page.locator('form[action="/uitloggen"]').count(), 1, `${email} is signed in`);
}

async function advisorJourney(browser, { run, lang, js, mobile }) {
  console.log(`${run}: the advisor and her learner, ${lang}, JavaScript ${js ? 'on' : 'off'}, ${mobile ? '360px phone' : 'desktop'}`);
  const password = process.env.DEMO_PASSWORD;
  assert.ok(password, 'DEMO_PASSWORD: the password serve --demo printed');
  const note = `Anna begint in februari met de BBL-opleiding (${run}).`;

  // Fatima: her caseload, her hours, Anna's profile and plan.
  const context = await newContext(browser, { lang, js, mobile });
  const page = await context.newPage();
  const ctx = { run, lang, js, mobile, weight: trackWeight(page), lastStatus: 0 };
  await logIn(ctx, page, 'fatima.elamrani@voorbeeld.leerpad.nl', password, 'advisor-login');
  await go(ctx, page, `${base}/adviseur`, 'advisor-desk');
  const annas = page.locator('ul.appointments > li').filter({ hasText: 'Anna Janssen' });
  assert.ok(await annas.count() >= 2, 'Anna\'s talk held and her talk to come are on the list');
  assert.equal(await annas.filter({ hasText: 'gehouden' }).count(), 1, 'the talk held');
  await page.fill('#from_5', '09:00');
  await page.fill('#until_5', '12:00');
  await follow(ctx, page, () => page.locator('form[action="/adviseur"] button[type="submit"]').click(), 'advisor-hours-saved');
  assert.equal(await page.locator('main [role="status"]').count(), 1, 'the hours are saved');
  assert.equal(await page.locator('#from_5').inputValue(), '09:00', 'Friday morning is kept');
  const next = annas.filter({ hasText: 'gepland' });
  assert.equal(await next.count(), 1, 'her talk to come');
  await follow(ctx, page, () => next.locator('a[href$="/plan"]').click(), 'advisor-plan');
  assert.match(await page.locator('section[aria-labelledby="profiel"]').textContent(), /gaf toestemming/, 'with consent she sees the profile, and is told it is logged');
  const versions = () => page.locator('main li', { hasText: /Versie \d+ van/ }).count();
  const before = await versions();
  assert.ok(before >= 2, `the demo plan has its versions (${before})`);
  await page.fill('#agreements', note);
  await follow(ctx, page, () => page.locator('form[action$="/plan"] button[type="submit"]').click(), 'advisor-plan-saved');
  assert.equal(await versions(), before + 1, 'a new version');
  await context.close();

  // Anna: the new version, her response, the calendar file, and who looked.
  const annaContext = await newContext(browser, { lang, js, mobile });
  const annaPage = await annaContext.newPage();
  const actx = { run, lang, js, mobile, weight: trackWeight(annaPage), lastStatus: 0 };
  await logIn(actx, annaPage, 'anna.janssen@voorbeeld.leerpad.nl', password, 'learner-login');
  await go(actx, annaPage, `${base}/advies/ontwikkeladvies-nl-leert-door/plan`, 'learner-plan');
  assert.ok((await annaPage.locator('main').textContent()).includes(note), 'she reads the new version');
  const reply = `Dank je, dat past goed (${run}).`;
  await annaPage.locator('main textarea[name="text"]').first().fill(reply);
  await follow(actx, annaPage, () => annaPage.locator('form[action$="/plan/reactie"] button[type="submit"]').first().click(), 'learner-plan-responded');
  assert.ok((await annaPage.locator('main').textContent()).includes(reply), 'her response is with the plan');
  await go(actx, annaPage, `${base}/advies/ontwikkeladvies-nl-leert-door`, 'learner-appointment');
  await calendarFile(annaContext, annaPage);
  await go(actx, annaPage, `${base}/inzage`, 'learner-access-log');
  assert.ok((await annaPage.locator('main').textContent()).includes('fatima.elamrani@voorbeeld.leerpad.nl'), 'the access log names the advisor who looked');
  // Her learning account: budget, a course paid from a hold, a refund; the statement to print.
  await go(actx, annaPage, `${base}/leerrekening`, 'learner-account');
  const account = await annaPage.locator('main').textContent();
  assert.ok(account.includes('Terugbetaling') && account.includes('Zorgacademie Parkstad'), 'who paid what');
  await go(actx, annaPage, `${base}/leerrekening/afschrift`, 'learner-statement');
  await go(actx, annaPage, `${base}/inschrijvingen`, 'learner-enrolments');
  await annaContext.close();
}

/// Anna and Fatima chat live (messages both ways without reloading, a read receipt) and make a
/// video call between two browser contexts with fake camera and microphone; without
/// JavaScript the same conversation works with the form.
async function chatJourney(browser, { run, lang, js, mobile }) {
  console.log(`${run}: chat and video, JavaScript ${js ? 'on' : 'off'}`);
  const password = process.env.DEMO_PASSWORD;
  assert.ok(password, 'DEMO_PASSWORD: the password serve --demo printed');
  const annaContext = await newContext(browser, { lang, js, mobile });
  const anna = await annaContext.newPage();
  const actx = { run, lang, js, mobile, weight: trackWeight(anna), lastStatus: 0 };
  await logIn(actx, anna, 'anna.janssen@voorbeeld.leerpad.nl', password, 'chat-learner-login');
  await go(actx, anna, `${base}/gesprekken`, 'chat-list');
  const link = anna.locator('ul.conversations a[href^="/gesprekken/"]').first();
  assert.ok(await link.count() === 1, 'her conversation with her advisor is listed');
  const path = await link.getAttribute('href');
  await go(actx, anna, `${base}${path}`, 'chat-conversation');
  const note = `Tot dinsdag! (${run})`;
  if (!js) {
    await follow(actx, anna, async () => {
      await anna.fill('#body', note);
      await anna.locator('form.chat-send button[type="submit"]').click();
    }, 'chat-sent-without-js');
    assert.ok((await anna.locator('ol.chat-messages').textContent()).includes(note), 'sent with the form');
    await annaContext.close();
    return;
  }
  await anna.waitForFunction(() => window.leerpadChat && window.leerpadChat.connected);

  const fatimaContext = await newContext(browser, { lang, js, mobile: false });
  const fatima = await fatimaContext.newPage();
  const fctx = { run, lang, js, mobile: false, weight: trackWeight(fatima), lastStatus: 0 };
  await logIn(fctx, fatima, 'fatima.elamrani@voorbeeld.leerpad.nl', password, 'chat-advisor-login');
  await go(fctx, fatima, `${base}${path}`, 'chat-advisor-conversation');
  await fatima.waitForFunction(() => window.leerpadChat && window.leerpadChat.connected);

  // Live both ways, without reloading either page.
  await anna.fill('#body', note);
  await anna.locator('form.chat-send button[type="submit"]').click();
  await fatima.locator('ol.chat-messages li', { hasText: note }).waitFor({ timeout: 10000 });
  const reply = `Ja, tot dinsdag, Anna. (${run})`;
  await fatima.fill('#body', reply);
  await fatima.locator('form.chat-send button[type="submit"]').click();
  await anna.locator('ol.chat-messages li', { hasText: reply }).waitFor({ timeout: 10000 });
  // Fatima's page has shown Anna's message: Anna sees it read.
  await anna.locator('ol.chat-messages li.mine', { hasText: note }).locator('.chat-read').waitFor({ timeout: 10000 });
  assert.equal(await anna.locator('ol.chat-messages li', { hasText: note }).count(), 1, 'each message once');

  // A video call: Anna calls, Fatima answers; both connect and receive a track.
  await anna.locator('#video-start').click();
  await fatima.locator('#video-answer').waitFor({ state: 'visible', timeout: 10000 });
  await fatima.locator('#video-answer').click();
  for (const [who, page] of [['learner', anna], ['advisor', fatima]]) {
    try {
      await page.waitForFunction(() => window.leerpadChat.call === 'connected', null, { timeout: 20000 });
    } catch {
      fail(run, `video-${who}`, `call state ${await page.evaluate(() => window.leerpadChat.call)}`);
    }
    const tracks = await page.evaluate(() => window.leerpadChat.remoteTracks);
    if (tracks < 1) fail(run, `video-${who}`, 'no track received');
  }
  actx.weight.bytes = 0;
  await checkPage(actx, anna, 'chat-video-connected');
  await anna.locator('#video-stop').click();
  await fatimaContext.close();
  await annaContext.close();
}

/// What the provider's journey made, for the decision after the restart.
const PROVIDER_STATE = path.join(artifacts, 'provider-journey.json');

async function providerJourney(browser, { run, lang, js, mobile }) {
  console.log(`${run}: a provider registers, uploads, is verified and applies to a call`);
  const password = process.env.DEMO_PASSWORD;
  assert.ok(password, 'DEMO_PASSWORD: the password serve --demo printed');
  const context = await newContext(browser, { lang, js, mobile });
  const page = await context.newPage();
  const ctx = { run, lang, js, mobile, weight: trackWeight(page), lastStatus: 0 };
  const email = `docent-${Date.now()}@example.nl`;
  await go(ctx, page, `${base}/registreren`, 'provider-register-form');
  await follow(ctx, page, async () => {
    await page.fill('#display_name', 'Ilse Vermeulen');
    await page.fill('#email', email);
    await page.fill('#password', PASSWORD);
    await page.fill('#password_confirm', PASSWORD);
    await page.locator('main form button[type="submit"]').click();
  }, 'provider-welcome');
  await follow(ctx, page, () => page.locator('main a[href="/aanbieder-worden"]').click(), 'provider-become');
  await follow(ctx, page, () => page.locator('form[action="/aanbieder-worden"] button').click(), 'provider-portal');
  await follow(ctx, page, async () => {
    await page.fill('#kvk', '6123 4567');
    await page.fill('#name', 'Digitaal Vakwerk (voorbeeld)');
    await page.fill('#trading_names', 'DV Academie');
    await page.locator('input[name="accreditations"][value="NRTO"]').check();
    await page.fill('#website', 'https://digitaalvakwerk.voorbeeld.nl');
    await page.locator('form[action="/aanbieder/organisatie"] button[type="submit"]').click();
  }, 'provider-registered');
  assert.match(await page.locator('main').textContent(), /controleert je organisatie nog/, 'waiting for verification');

  // A file of two online courses: checked first, then saved.
  const course = (id, title) => JSON.stringify({
    provider_offer_id: id, title: { nl: title },
    summary: { nl: 'Online, in je eigen tempo, met opdrachten uit je eigen werk.' },
    kind: 'course', modality: 'online', level: 'mbo3', study_load_hours: 40,
    costs: [{ kind: 'tuition', amount_cents: 32500, vat_percent: 0 }],
  });
  const file = { name: 'aanbod.jsonl', mimeType: 'application/x-ndjson',
    buffer: Buffer.from(`${course('DV-XL', 'Excel voor de administratie (voorbeeld)')}\n${course('DV-WEB', 'Een eigen webwinkel beginnen (voorbeeld)')}\n`) };
  await go(ctx, page, `${base}/aanbieder/aanbod/uploaden`, 'provider-upload-form');
  await page.setInputFiles('#bestand', file);
  await follow(ctx, page, () => page.locator('main form button[type="submit"]').click(), 'provider-upload-checked');
  assert.match(await page.locator('main [role="status"]').textContent(), /Alles klopt/, 'the dry run finds no problem');
  await page.setInputFiles('#bestand', file);
  await page.locator('input[name="controleren"]').uncheck();
  await follow(ctx, page, () => page.locator('main form button[type="submit"]').click(), 'provider-uploaded');
  assert.match(await page.locator('main [role="status"]').textContent(), /2 nieuw/, 'two courses saved');

  // The programme manager verifies the organisation.
  const managerContext = await newContext(browser, { lang, js, mobile });
  const manager = await managerContext.newPage();
  const mctx = { run, lang, js, mobile, weight: trackWeight(manager), lastStatus: 0 };
  await logIn(mctx, manager, 'programma@voorbeeld.leerpad.nl', password, 'manager-login');
  await go(mctx, manager, `${base}/beheer/aanbieders`, 'manager-providers');
  const row = manager.locator('main tr', { hasText: 'Digitaal Vakwerk (voorbeeld)' });
  assert.equal(await row.count(), 1, 'the new organisation waits for verification');
  await follow(mctx, manager, () => row.locator('button[type="submit"]').click(), 'manager-verified');
  assert.equal(await manager.locator('main tr', { hasText: 'Digitaal Vakwerk (voorbeeld)' }).count(), 0, 'verified');

  // The provider applies to the open call on its page, and submits.
  await go(ctx, page, `${base}/oproepen/online-leren-2027`, 'provider-call');
  const places = page.locator('input[name^="plaatsen-"]');
  assert.equal(await places.count(), 2, 'both courses can be put in an application');
  const offer = (await places.first().getAttribute('name')).replace('plaatsen-', '');
  const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
  await page.fill(`#plaatsen-${offer}`, '25');
  await page.fill(`#prijs-${offer}`, '100');
  await page.fill(`#start-${offer}`, day(45));
  await page.fill(`#einde-${offer}`, day(90));
  await follow(ctx, page, () => page.locator('form[action$="/aanvragen"] button[type="submit"]').click(), 'provider-application');
  const application = page.url().split('/').pop();
  await follow(ctx, page, () => page.locator('form[action$="/indienen"] button').click(), 'provider-submitted');

  // The manager checks it; the decision comes after the call closes.
  for (const step of ['toetsen', 'ontvankelijk']) {
    await go(mctx, manager, `${base}/beheer/aanvragen/${application}`, `manager-review-${step}`);
    await follow(mctx, manager, () => manager.locator(`form[action$="/${step}"] button`).click(), `manager-${step}`);
  }
  fs.writeFileSync(PROVIDER_STATE, JSON.stringify({ application, offer }));
  await managerContext.close();
  await context.close();
}

/// After the restart a month ahead: the manager approves, and Anna sees the course free.
async function decisionJourney(browser, { run, lang, js, mobile }) {
  console.log(`${run}: the call has closed; the manager approves and a learner sees the course free`);
  const password = process.env.DEMO_PASSWORD;
  const { application, offer } = JSON.parse(fs.readFileSync(PROVIDER_STATE, 'utf8'));
  const context = await newContext(browser, { lang, js, mobile });
  const manager = await context.newPage();
  const mctx = { run, lang, js, mobile, weight: trackWeight(manager), lastStatus: 0 };
  await logIn(mctx, manager, 'programma@voorbeeld.leerpad.nl', password, 'decision-login');
  await go(mctx, manager, `${base}/beheer/aanvragen/${application}`, 'decision-review');
  await follow(mctx, manager, () => manager.locator('form[action$="/goedkeuren"] button').click(), 'decision-approved');
  assert.match(await manager.locator('main').textContent(), /goedgekeurd/i, 'approved');
  await context.close();
  const annaContext = await newContext(browser, { lang, js, mobile });
  const anna = await annaContext.newPage();
  const actx = { run, lang, js, mobile, weight: trackWeight(anna), lastStatus: 0 };
  await logIn(actx, anna, 'anna.janssen@voorbeeld.leerpad.nl', password, 'decision-learner-login');
  await go(actx, anna, `${base}/opleidingen/${offer}`, 'decision-free-offer');
  const financing = await anna.locator('section[aria-labelledby="financing-title"]').textContent();
  assert.match(financing, /Online leren 2027 \(voorbeeld\)/, 'the call pays');
  assert.match(financing, /€ 0,-/, 'the course is free for her');
  await annaContext.close();
}

/// Regions: a programme manager adds an initiative in Heerlen; Anna, who lives there, sees it
/// on the Zuid-Limburg page and answers the learning-culture survey; a new employer in Kerkrade posts staff it offers and gets a match
/// with a company in the same region.
async function regionJourney(browser, { run, lang, js, mobile }) {
  console.log(`${run}: an initiative on the region's page, and an employer's staff exchange`);
  const password = process.env.DEMO_PASSWORD;
  const title = `Zorgbanen Parkstad (${run})`;
  const context = await newContext(browser, { lang, js, mobile });
  const manager = await context.newPage();
  const mctx = { run, lang, js, mobile, weight: trackWeight(manager), lastStatus: 0 };
  await logIn(mctx, manager, 'programma@voorbeeld.leerpad.nl', password, 'region-manager-login');
  await go(mctx, manager, `${base}/beheer/initiatieven`, 'region-initiative-form');
  await follow(mctx, manager, async () => {
    await manager.fill('#title', title);
    await manager.fill('#summary', 'Verkopers uit Parkstad stappen over naar de zorg.');
    await manager.selectOption('#region', 'zuid-limburg');
    await manager.fill('#municipalities', 'Heerlen');
    await manager.fill('#sector', 'zorg');
    await manager.fill('#funding', 'Provincie Limburg: 50.000');
    await manager.locator('input[name="parel"]').check();
    await manager.locator('form[action="/beheer/initiatieven"] button[type="submit"]').click();
  }, 'region-initiative-saved');
  assert.match(await manager.locator('h1').textContent(), /Zorgbanen Parkstad/, 'the initiative page');
  await go(mctx, manager, `${base}/beheer/dashboard?regio=zuid-limburg`, 'region-dashboard');
  await context.close();

  const annaContext = await newContext(browser, { lang, js, mobile });
  const anna = await annaContext.newPage();
  const actx = { run, lang, js, mobile, weight: trackWeight(anna), lastStatus: 0 };
  await logIn(actx, anna, 'anna.janssen@voorbeeld.leerpad.nl', password, 'region-learner-login');
  await go(actx, anna, `${base}/regio`, 'region-overview');
  await follow(actx, anna, () => anna.locator('main a[href="/regio/zuid-limburg"]').first().click(), 'region-zuid-limburg');
  assert.ok((await anna.locator('main').textContent()).includes(title), 'the new initiative is on the region page');
  // She answers the learning-culture survey for the region she lives in (chosen for her).
  await go(actx, anna, `${base}/leercultuur`, 'region-culture-form');
  assert.equal(await anna.locator('#region').inputValue(), 'zuid-limburg', 'her region is chosen from where she lives');
  await follow(actx, anna, async () => {
    for (const fieldset of await anna.locator('main fieldset').all()) {
      await fieldset.locator('input[type="radio"][value="4"]').check();
    }
    await anna.locator('form[action="/leercultuur"] button[type="submit"]').click();
  }, 'region-culture-saved');
  assert.ok((await anna.locator('main [role="status"]').textContent()).includes('opgeslagen'), 'her answer is saved');
  await annaContext.close();

  const employerContext = await newContext(browser, { lang, js, mobile });
  const employer = await employerContext.newPage();
  const ectx = { run, lang, js, mobile, weight: trackWeight(employer), lastStatus: 0 };
  await go(ectx, employer, `${base}/registreren`, 'employer-register-form');
  await follow(ectx, employer, async () => {
    await employer.fill('#display_name', 'Ruud Hendriks');
    await employer.fill('#email', `werkgever-${Date.now()}@example.nl`);
    await employer.fill('#password', PASSWORD);
    await employer.fill('#password_confirm', PASSWORD);
    await employer.locator('main form button[type="submit"]').click();
  }, 'employer-welcome');
  await go(ectx, employer, `${base}/werkgever-worden`, 'employer-become');
  await follow(ectx, employer, () => employer.locator('form[action="/werkgever-worden"] button').click(), 'employer-home');
  await follow(ectx, employer, async () => {
    await employer.fill('#kvk', '7123 4560');
    await employer.fill('#name', 'Kerkrade Opslag (voorbeeld)');
    await employer.fill('#municipality', 'Kerkrade');
    await employer.selectOption('#size', 'small');
    await employer.locator('form[action="/werkgever/bedrijf"] button[type="submit"]').click();
  }, 'employer-company');
  await follow(ectx, employer, async () => {
    await employer.locator('input[name="kind"][value="offer"]').check();
    await employer.fill('#title', 'Magazijnmedewerker');
    await employer.fill('#skills', 'gegevensregistratiesystemen voor magazijnen gebruiken');
    await employer.fill('#place', 'Kerkrade');
    await employer.locator('form[action="/werkgever/uitwisseling"] button[type="submit"]').click();
  }, 'employer-exchange-posted');
  assert.ok((await employer.locator('main').textContent()).includes('Logistiek Parkstad (voorbeeld)'), 'a match with a company in Zuid-Limburg');
  await employerContext.close();
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    // Video calls: a fake camera and microphone, no permission prompt, and plain local
    // addresses in ICE candidates (no mDNS) so two contexts connect on this machine.
    '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    '--disable-features=WebRtcHideLocalIpsWithMdns'],
});
// The checker must see what it is there to see: a page with a known critical violation.
{
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.setContent('<!doctype html><html lang="nl"><title>t</title><main><img src="x.png"></main></html>');
  const result = await new AxeBuilder({ page }).withTags(['wcag2a']).analyze();
  assert.ok(result.violations.some((v) => v.id === 'image-alt' && v.impact === 'critical'), 'axe-core finds a missing alt text');
  await context.close();
}

const only = process.env.RUNS ? process.env.RUNS.split(',') : null;
const runs = [
  { run: 'nl-phone', lang: 'nl', js: true, mobile: true },
  { run: 'en-desktop', lang: 'en', js: true, mobile: false },
  { run: 'nl-nojs', lang: 'nl', js: false, mobile: true },
  { run: 'advisor-desktop', advisor: true, lang: 'nl', js: true, mobile: false },
  { run: 'advisor-nojs', advisor: true, lang: 'nl', js: false, mobile: true },
  { run: 'chat-desktop', chat: true, lang: 'nl', js: true, mobile: false },
  { run: 'chat-nojs', chat: true, lang: 'nl', js: false, mobile: true },
  { run: 'provider-desktop', provider: true, lang: 'nl', js: true, mobile: false },
  { run: 'region-desktop', region: true, lang: 'nl', js: true, mobile: false },
  // After a restart with the clock a month ahead: only when asked for.
  { run: 'decision-desktop', decision: true, later: true, lang: 'nl', js: true, mobile: false },
].filter((r) => (only ? only.includes(r.run) : !r.later));
let passed = 0;
for (const r of runs) {
  const before = failures.length;
  try {
    if (r.decision) await decisionJourney(browser, r);
    else if (r.provider) await providerJourney(browser, r);
    else if (r.region) await regionJourney(browser, r);
    else if (r.chat) await chatJourney(browser, r);
    else if (r.advisor) await advisorJourney(browser, r);
    else await journey(browser, r);
    if (failures.length === before) passed += 1;
  } catch (e) {
    fail(r.run, 'journey', e.stack || String(e));
  }
}
await browser.close();
console.log(`${checks} pages checked; screenshots in ${artifacts}`);
if (failures.length) {
  console.log(`${failures.length} problems:\n${failures.join('\n')}`);
}
console.log(`browser: ${passed} passed, ${runs.length - passed} failed`);
process.exit(failures.length ? 1 : 0);
