// Browser tests for Aula: Debian's Chromium driven by playwright-core, axe-core
// for accessibility.  Run by run.sh, which serves a fresh data directory with the
// SELA 2022 programme and an administrator, and passes the server's address in
// AULA_URL (or as the first argument).  Prints "ok - NAME" or "FAIL - NAME" per
// test and ends with "browser: N passed, N failed".
import { createRequire } from 'node:module';
import { readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const BASE = (process.argv[2] || process.env.AULA_URL || '').replace(/\/$/, '');
if (!BASE) {
  console.error('usage: node tests.mjs URL (or AULA_URL=URL)');
  console.log('browser: 0 passed, 1 failed');
  process.exit(2);
}
const OUT = process.env.AULA_E2E_OUT || path.resolve('test-output');
mkdirSync(OUT, { recursive: true });

const EDITION = '/events/sela-2022';
const ADMIN = { email: 'admin@example.org', password: 'e2e-password-123' };
const TEST_TIMEOUT_MS = 90_000;

// ---------------------------------------------------------------- assertions

class AssertionError extends Error {}

function assert(cond, message) {
  if (!cond) throw new AssertionError(message);
}

function assertEqual(actual, expected, what) {
  assert(actual === expected,
    `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

function assertIncludes(text, part, what) {
  assert(text.includes(part), `${what}: ${JSON.stringify(part)} not found in:\n${excerpt(text)}`);
}

function assertExcludes(text, part, what) {
  assert(!text.includes(part), `${what}: ${JSON.stringify(part)} should not be there`);
}

function excerpt(text) {
  const t = text.replace(/\n{2,}/g, '\n');
  return t.length > 1500 ? t.slice(0, 1500) + ' […]' : t;
}

// ------------------------------------------------------------------- browser

let browser;

// A visitor whose browser asks for neither Spanish nor English: the site's
// default language (Spanish) applies.
async function newContext(options = {}) {
  const context = await browser.newContext({ locale: 'fr-FR', ...options });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  return context;
}

// Opens a page and fails on any script error or CSP violation it reports.
async function openPage(context, url) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.problems = problems;
  if (url) await goto(page, url);
  return page;
}

async function goto(page, url, expectStatus = 200) {
  const res = await page.goto(BASE + url, { waitUntil: 'load' });
  assert(res, `no response for ${url}`);
  assertEqual(res.status(), expectStatus, `HTTP status of ${url}`);
  return res;
}

const htmlLang = (page) => page.evaluate(() => document.documentElement.lang);
const visibleText = (page, selector = 'body') => page.locator(selector).first().innerText();

function noPageProblems(page, what) {
  // A 404 is reported on the console by Chromium as a failed resource load.
  const real = page.problems.filter((p) => !/status of 404/.test(p));
  assert(real.length === 0, `${what}: ${real.join('\n')}`);
}

async function signIn(context) {
  const page = await openPage(context, '/login');
  await page.getByLabel(/correo|email/i).fill(ADMIN.email);
  await page.getByLabel(/contraseña|password/i).fill(ADMIN.password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.locator('main form:has(input[type=password]) button[type=submit]').click(),
  ]);
  return page;
}

// Opens the console's form for the session whose title (as listed in the
// console) is `title`.
async function openSessionForm(page, title) {
  await goto(page, '/admin');
  await Promise.all([
    page.waitForURL(`**/admin/events/sela-2022`),
    page.locator('main a[href="/admin/events/sela-2022"]').click(),
  ]);
  const item = page.locator('li[id^="session-"]').filter({
    has: page.locator('.session-title', { hasText: title }),
  });
  assertEqual(await item.count(), 1, `sessions titled ${JSON.stringify(title)} in the console`);
  await Promise.all([
    page.waitForURL('**/admin/session/*/edit'),
    item.locator('a.edit-session').click(),
  ]);
}

async function submitForm(page) {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.locator('main form.stacked button[type=submit]').click(),
  ]);
}

// Injects axe-core (the CSP forbids inline scripts, so it is evaluated through
// the DevTools protocol rather than added as a <script>) and runs it.
async function axeViolations(page) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations;
}

function describeViolation(v) {
  const nodes = v.nodes.slice(0, 5).map((n) =>
    `      ${n.target.join(' ')}: ${(n.failureSummary || '').replace(/\s+/g, ' ')}`);
  return `    [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} element(s))\n${nodes.join('\n')}`;
}

// --------------------------------------------------------------------- tests

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('home page goes to the only edition, in Spanish', async () => {
  const context = await newContext();
  try {
    const page = await openPage(context, '/');
    assertEqual(new URL(page.url()).pathname, EDITION, 'address after the redirect');
    assertEqual(await htmlLang(page), 'es', '<html lang>');
    assertEqual((await visibleText(page, 'h1')).trim(),
      'Programa de capacitación para Altos Funcionarios en la era digital', 'page heading');
    assertIncludes(await page.title(), 'Programa de capacitación para Altos Funcionarios',
      'document title');
    noPageProblems(page, 'home page');
  } finally {
    await context.close();
  }
});

test('a browser that prefers English gets English', async () => {
  const context = await newContext({ locale: 'en-GB' });
  try {
    const page = await openPage(context, EDITION);
    assertEqual(await htmlLang(page), 'en', '<html lang>');
    assertEqual((await visibleText(page, 'h1')).trim(),
      'Training programme for Senior Officials in the digital era', 'page heading');
  } finally {
    await context.close();
  }
});

test('agenda in Spanish by default and in English with ?lang=en', async () => {
  const context = await newContext();
  try {
    const page = await openPage(context, `${EDITION}/agenda`);
    assertEqual(await htmlLang(page), 'es', '<html lang> of the Spanish agenda');
    const es = await visibleText(page);
    for (const s of ['Sesión 1: Introducción a la ciberdiplomacia', 'lunes, 21 de marzo de 2022',
      '09:00', 'Mario Torres Jarrin', 'Shaun Riordan', 'Clarems Endara', 'Antonio Núñez',
      'Sayed Durán', 'Curso de especialización en Ciberdiplomacia',
      'Curso de especialización en Tecnodiplomacia']) {
      assertIncludes(es, s, 'Spanish agenda');
    }
    assertExcludes(es, 'Session 1: Introduction to cyberdiplomacy', 'Spanish agenda');
    noPageProblems(page, 'Spanish agenda');

    await goto(page, `${EDITION}/agenda?lang=en`);
    assertEqual(await htmlLang(page), 'en', '<html lang> of the English agenda');
    const en = await visibleText(page);
    for (const s of ['Session 1: Introduction to cyberdiplomacy', 'Monday, 21 March 2022',
      '09:00', 'Mario Torres Jarrin', 'Shaun Riordan', 'Clarems Endara']) {
      assertIncludes(en, s, 'English agenda');
    }
    assertExcludes(en, 'Sesión 1: Introducción a la ciberdiplomacia', 'English agenda');
  } finally {
    await context.close();
  }
});

test('the language link switches the site and the choice is remembered', async () => {
  const context = await newContext();
  try {
    const page = await openPage(context, `${EDITION}/agenda`);
    assertEqual(await htmlLang(page), 'es', '<html lang> at first');
    // Follows the header's link to the other language, then the edition's
    // link to the next page (a plain link, without ?lang=).
    let step = 0;
    const switchTo = async (lang, name, nextPath, heading) => {
      step++;
      const link = page.locator(`header nav a[hreflang="${lang}"]`);
      assertEqual((await link.innerText()).trim(), name, 'language link text');
      await Promise.all([page.waitForNavigation(), link.click()]);
      assertEqual(await htmlLang(page), lang, `<html lang> after choosing ${name} (switch ${step})`);
      const next = page.locator(`.edition-nav a[href="${EDITION}${nextPath}"]`);
      await Promise.all([page.waitForNavigation(), next.click()]);
      assertEqual(new URL(page.url()).search, '', 'no ?lang= in the next address');
      assertEqual(await htmlLang(page), lang,
        `<html lang> on ${nextPath} after choosing ${name} (switch ${step})`);
      assertIncludes(await visibleText(page, 'h1'), heading, 'next page heading');
      const cookie = (await context.cookies()).find((c) => c.name === 'lang');
      assert(cookie && cookie.value === lang, `lang cookie: ${JSON.stringify(cookie)}`);
    };
    await switchTo('en', 'English', '/speakers', 'Trainers');
    await switchTo('es', 'Español', '/agenda', 'Agenda');
    // The English agenda was seen before: the browser revalidates it (304)
    // and the choice must still be remembered.
    await switchTo('en', 'English', '/speakers', 'Trainers');
    assertIncludes(await visibleText(page), 'Mario Torres Jarrin', 'speakers page');
  } finally {
    await context.close();
  }
});

for (const [zone, expected, extra] of [
  ['Europe/Madrid', '14:00', null],
  ['America/Caracas', '09:00', null],
  // 13:00 UTC on Monday 21 March is 02:00 on Tuesday 22 March in Auckland.
  ['Pacific/Auckland', '02:00', '22'],
]) {
  test(`local time beside the programme's time (${zone})`, async () => {
    const context = await newContext({ timezoneId: zone });
    try {
      const page = await openPage(context, `${EDITION}/agenda`);
      const time = page.locator('time[datetime="2022-03-21T13:00:00Z"]');
      assertEqual(await time.count(), 1, 'programme times for 2022-03-21T13:00:00Z');
      assertEqual((await time.innerText()).trim(), '09:00', 'programme time');
      const local = page.locator('time[datetime="2022-03-21T13:00:00Z"] + .local-time');
      await local.waitFor({ state: 'visible' });
      const text = await local.innerText();
      assertIncludes(text, expected, `local time in ${zone}`);
      assertIncludes(text, 'su hora', `local time label in ${zone}`);
      if (extra) assertIncludes(text, extra, `local day in ${zone}`);
      else assert(!/\d/.test(text.replace(/\d\d:\d\d/, '')),
        `no day is named when the local day is the programme's: ${text}`);
      // The note that explains the local times is shown once the script ran.
      assert(await page.getByText('Junto a cada hora se muestra también su hora local.').isVisible(),
        'the local-time note is visible');
      noPageProblems(page, 'agenda');
    } finally {
      await context.close();
    }
  });
}

const ORIGINAL = {
  es: 'Introducción a la ciberdiplomacia',
  en: 'Introduction to cyberdiplomacy',
};
const EDITED = {
  es: 'Ciberdiplomacia para principiantes (edición e2e)',
  en: 'Cyberdiplomacy for beginners (e2e edit)',
};

test('an administrator edits a session and the public agenda shows it', async () => {
  const context = await newContext();
  try {
    // Put both agendas in the server's page cache first.
    const pub = await openPage(context, `${EDITION}/agenda?lang=en`);
    assertIncludes(await visibleText(pub), `Session 1: ${ORIGINAL.en}`, 'agenda before the edit');
    await goto(pub, `${EDITION}/agenda?lang=es`);
    assertIncludes(await visibleText(pub), `Sesión 1: ${ORIGINAL.es}`, 'agenda before the edit');
    await pub.close();

    const page = await signIn(context);
    await goto(page, '/admin');
    assertIncludes(await visibleText(page, 'main'),
      'Programa de capacitación para Altos Funcionarios en la era digital', 'console home');
    await openSessionForm(page, ORIGINAL.es);
    assertEqual(await page.locator('input[name="title_es"]').inputValue(), ORIGINAL.es,
      'Spanish title in the form');
    assertEqual(await page.locator('input[name="title_en"]').inputValue(), ORIGINAL.en,
      'English title in the form');
    await page.locator('input[name="title_es"]').fill(EDITED.es);
    await page.locator('input[name="title_en"]').fill(EDITED.en);
    await submitForm(page);
    assertEqual(await page.locator('.form-error, .field-error').count(), 0, 'form errors');
    assertIncludes(await visibleText(page, 'main'), EDITED.es, 'console after saving');

    await goto(page, `${EDITION}/agenda?lang=es`);
    const es = await visibleText(page);
    assertIncludes(es, `Sesión 1: ${EDITED.es}`, 'Spanish agenda after the edit');
    assertExcludes(es, ORIGINAL.es, 'Spanish agenda after the edit');
    await goto(page, `${EDITION}/agenda?lang=en`);
    const en = await visibleText(page);
    assertIncludes(en, `Session 1: ${EDITED.en}`, 'English agenda after the edit');
    assertExcludes(en, ORIGINAL.en, 'English agenda after the edit');

    // Put the titles back, through the console as well.
    await openSessionForm(page, EDITED.en);
    await page.locator('input[name="title_es"]').fill(ORIGINAL.es);
    await page.locator('input[name="title_en"]').fill(ORIGINAL.en);
    await submitForm(page);
    await goto(page, `${EDITION}/agenda?lang=en`);
    assertIncludes(await visibleText(page), `Session 1: ${ORIGINAL.en}`, 'agenda restored');
    noPageProblems(page, 'console');
  } finally {
    await context.close();
  }
});

test('a console form with an empty required title says so and keeps the other values', async () => {
  const context = await newContext();
  try {
    const page = await signIn(context);
    await openSessionForm(page, ORIGINAL.es);
    const number = await page.locator('[name="number"]').inputValue();
    const kind = await page.locator('[name="kind"]').inputValue();
    await page.locator('input[name="title_es"]').fill('');
    await page.locator('input[name="title_en"]').fill('Kept English title (e2e)');
    await submitForm(page);

    const field = page.locator('.field').filter({ has: page.locator('input[name="title_es"]') });
    const error = field.locator('.field-error');
    assert(await error.isVisible(), 'an error message is shown beside the Spanish title');
    const message = (await error.innerText()).trim();
    assert(message.length > 0, 'the error message is not empty');
    const input = page.locator('input[name="title_es"]');
    assertEqual(await input.getAttribute('aria-invalid'), 'true', 'aria-invalid on the field');
    assertEqual(await input.getAttribute('aria-describedby'), await error.getAttribute('id'),
      'the field is described by its error');
    assert(await page.locator('.form-error[role="alert"]').isVisible(),
      'a summary of the error is announced');
    assertEqual(await page.locator('input[name="title_en"]').inputValue(),
      'Kept English title (e2e)', 'the English title is kept');
    assertEqual(await page.locator('[name="number"]').inputValue(), number, 'the number is kept');
    assertEqual(await page.locator('[name="kind"]').inputValue(), kind, 'the kind is kept');
    assertEqual(await page.locator('.field-error').count(), 1, 'fields with an error');
    // Nothing was saved.
    await goto(page, `${EDITION}/agenda?lang=en`);
    assertIncludes(await visibleText(page), `Session 1: ${ORIGINAL.en}`, 'agenda unchanged');
    assertExcludes(await visibleText(page), 'Kept English title', 'agenda unchanged');
  } finally {
    await context.close();
  }
});

const PUBLIC_PAGES = [
  [EDITION, 200],
  [`${EDITION}/agenda`, 200],
  [`${EDITION}/speakers`, 200],
  [`${EDITION}/courses/cyberdiplomacy`, 200],
  [`${EDITION}/courses/techplomacy`, 200],
  ['/login', 200],
  ['/no-such-page', 404],
  [`${EDITION}/courses/no-such-course`, 404],
];

test('public pages have no serious or critical accessibility violations', async () => {
  const context = await newContext();
  const failures = [];
  try {
    for (const lang of ['es', 'en']) {
      for (const [url, status] of PUBLIC_PAGES) {
        const page = await openPage(context);
        const full = `${url}?lang=${lang}`;
        await goto(page, full, status);
        assertEqual(await htmlLang(page), lang, `<html lang> of ${full}`);
        const violations = await axeViolations(page);
        const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        if (bad.length) failures.push(`  ${full}\n${bad.map(describeViolation).join('\n')}`);
        // Moderate and minor findings are reported without failing.
        for (const v of violations.filter((x) => !bad.includes(x))) {
          console.log(`  note: ${full}: [${v.impact}] ${v.id}: ${v.help}`);
        }
        await page.close();
      }
    }
  } finally {
    await context.close();
  }
  assert(failures.length === 0, `accessibility violations:\n${failures.join('\n')}`);
});

test('console pages have no serious or critical accessibility violations', async () => {
  const context = await newContext();
  const failures = [];
  try {
    const page = await signIn(context);
    const check = async (what) => {
      const bad = (await axeViolations(page))
        .filter((v) => v.impact === 'serious' || v.impact === 'critical');
      if (bad.length) failures.push(`  ${what}\n${bad.map(describeViolation).join('\n')}`);
    };
    await goto(page, '/admin');
    await check('/admin');
    await goto(page, '/admin/events/sela-2022');
    await check('/admin/events/sela-2022');
    await openSessionForm(page, ORIGINAL.es);
    await check('session form');
    await page.locator('input[name="title_es"]').fill('');
    await submitForm(page);
    await check('session form with an error');
    // The agenda as seen by a signed-in administrator (another header).
    await goto(page, `${EDITION}/agenda`);
    await check('agenda, signed in');
  } finally {
    await context.close();
  }
  assert(failures.length === 0, `accessibility violations:\n${failures.join('\n')}`);
});

test('agenda screenshots; no horizontal scrolling on a phone', async () => {
  for (const [name, viewport] of [
    ['desktop', { width: 1280, height: 800 }],
    ['phone', { width: 390, height: 844 }],
  ]) {
    const context = await newContext({ viewport, timezoneId: 'Europe/Madrid',
      isMobile: name === 'phone', hasTouch: name === 'phone', deviceScaleFactor: 1 });
    try {
      for (const lang of ['es', 'en']) {
        const page = await openPage(context, `${EDITION}/agenda?lang=${lang}`);
        await page.locator('.local-time').first().waitFor({ state: 'visible' });
        await page.screenshot({ path: path.join(OUT, `agenda-${name}-${lang}.png`), fullPage: true });
        if (name === 'phone') {
          for (const [url, status] of PUBLIC_PAGES) {
            await goto(page, `${url}?lang=${lang}`, status);
            const width = await page.evaluate(() => document.documentElement.scrollWidth);
            assert(width <= 390, `${url}?lang=${lang} is ${width}px wide on a 390px phone`);
          }
        }
        await page.close();
      }
    } finally {
      await context.close();
    }
  }
});

test('printed agenda leaves out the site header', async () => {
  const context = await newContext({ timezoneId: 'Europe/Madrid' });
  try {
    const page = await openPage(context, `${EDITION}/agenda`);
    assert(await page.locator('.site-header').isVisible(), 'site header visible on screen');
    await page.emulateMedia({ media: 'print' });
    assert(!(await page.locator('.site-header').isVisible()), 'site header hidden in print');
    assert(!(await page.locator('.local-time').first().isVisible()),
      'visitor\'s local time hidden in print');
    assert(!(await page.locator('.js-only').first().isVisible()),
      'the note about local times is hidden in print');
    assert(await page.getByText('Sesión 1: Introducción a la ciberdiplomacia').isVisible(),
      'sessions still printed');
    assert(await page.locator('.edition-title').isVisible(), 'edition title still printed');
    await page.pdf({ path: path.join(OUT, 'agenda-print-es.pdf'), format: 'A4' });
  } finally {
    await context.close();
  }
});

// -------------------------------------------------------------------- runner

function withTimeout(promise, ms, name) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${name}: timed out after ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// Playwright's errors carry a long call log: keep their first line and where
// in this file they were raised.
function briefError(e) {
  const lines = String(e && e.message || e).split('\n');
  const waiting = lines.find((l) => /waiting for/.test(l));
  const first = lines[0] + (waiting ? `\n${waiting.replace(/\x1b\[\d+m/g, '').trim()}` : '');
  const here = String(e && e.stack || '').split('\n').find((l) => l.includes('tests.mjs'));
  return here ? `${first}\n${here.trim()}` : first;
}

let passed = 0;
let failed = 0;
try {
  browser = await withTimeout(chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 30_000,
  }), 40_000, 'launching Chromium');
} catch (e) {
  console.log(`FAIL - launching Chromium\n  ${e.message}`);
  console.log('browser: 0 passed, 1 failed');
  process.exit(1);
}

const only = process.env.AULA_E2E_ONLY;
for (const t of tests) {
  if (only && !t.name.includes(only)) continue;
  const started = Date.now();
  try {
    await withTimeout(t.fn(), TEST_TIMEOUT_MS, t.name);
    passed++;
    console.log(`ok - ${t.name} (${Date.now() - started} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL - ${t.name}`);
    const detail = e instanceof AssertionError ? e.message : briefError(e);
    console.log(detail.split('\n').map((l) => `  ${l}`).join('\n'));
  }
}

await withTimeout(browser.close(), 15_000, 'closing Chromium').catch((e) => {
  console.log(`  note: ${e.message}`);
});
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
